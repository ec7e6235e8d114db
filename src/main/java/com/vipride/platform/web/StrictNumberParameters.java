package com.vipride.platform.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Numbers in paths and query strings are plain decimal: Spring's default conversion also takes
 * {@code 0x10}, {@code #10} and {@code 010} (hexadecimal and octal, as {@code Integer.decode} does),
 * which no client means. Anything else is 400 {@code invalid-parameter}.
 */
@ControllerAdvice
class StrictNumberParameters {

    @InitBinder
    void decimalNumbersOnly(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf));
        binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf));
        binder.registerCustomEditor(long.class, new Decimal(Long::valueOf));
        binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf));
        binder.registerCustomEditor(short.class, new Decimal(Short::valueOf));
        binder.registerCustomEditor(Short.class, new Decimal(Short::valueOf));
    }

    private static final class Decimal extends PropertyEditorSupport {
        private final Function<String, Number> parse;

        Decimal(Function<String, Number> parse) {
            this.parse = parse;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("a number is required");
            }
            setValue(parse.apply(text));
        }
    }
}
