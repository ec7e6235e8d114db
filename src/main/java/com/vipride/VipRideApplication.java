package com.vipride;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The VIP ride-hailing platform's service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VipRideApplication {

    public static void main(String[] args) {
        SpringApplication.run(VipRideApplication.class, args);
    }
}
