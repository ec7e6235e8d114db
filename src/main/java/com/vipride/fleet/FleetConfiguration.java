package com.vipride.fleet;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

    /** The default document store: a folder (vipride.fleet.documents.dir). */
    @Bean
    @ConditionalOnMissingBean(DocumentStore.class)
    DocumentStore folderDocumentStore(FleetProperties properties) {
        return new FolderDocumentStore(properties.documents().dir());
    }
}
