package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every table and every column that may hold personal data is in the data map (like the access matrix
 * for privileges), and every map entry names something that exists. A new table or column cannot escape
 * export and erasure: this test fails naming it.
 */
class DataMapCompletenessIT extends IntegrationTest {

    @Test
    void everyTableAndColumnThatMayHoldPersonalDataIsClassified() {
        List<String> gaps = superuser()
                .sql(
                        "SELECT problem || ' ' || table_name || coalesce('.' || column_name, '') FROM compliance.data_map_gaps")
                .query(String.class)
                .list();

        assertThat(gaps)
                .as("fix the data map in database/compliance/R__14_compliance.sql")
                .isEmpty();
    }

    @Test
    void aNewTableWithPersonalDataIsReportedUntilItIsClassified() {
        superuser()
                .sql("CREATE TABLE public.unmapped_probe (id uuid, nickname text)")
                .update();
        try {
            List<String> gaps = superuser()
                    .sql("SELECT problem FROM compliance.data_map_gaps WHERE table_name = 'public.unmapped_probe'")
                    .query(String.class)
                    .list();
            assertThat(gaps).containsExactly("unclassified_table");
        } finally {
            superuser().sql("DROP TABLE public.unmapped_probe").update();
        }
    }

    @Test
    void everyTableWithPersonalDataSaysHowItsRowsAreFoundAndWhyKeptRowsAreKept() {
        List<String> incomplete = superuser().sql("""
                        SELECT table_name || ' ' || coalesce(link, '') FROM compliance.data_map_tables
                         WHERE erasure <> 'none' AND (subject_filter IS NULL
                               OR (erasure = 'pseudonymise' AND legal_basis IS NULL))""").query(String.class).list();

        assertThat(incomplete).isEmpty();
    }
}
