package dev.baton.bench;

import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every section of the report writes with: the text so far, the JMH results, the targets, where
 * the charts go, and the figures {@code make answers} measured.
 *
 * @param chartLink the chart directory as the report links it.
 */
record ReportPage(StringBuilder out, Results results, Targets targets, Path chartDir, Path chartLink, JsonNode answers)
{
    /** @return a figure from {@code make answers}, formatted, or a pointer to the command that measures it. */
    String answer(final String key, final String format)
    {
        final JsonNode value = answers.path(key);
        return value.isMissingNode() ? "not measured: run `make answers`" : String.format(Locale.ROOT, format, value.asDouble());
    }

    /** Appends formatted text. */
    void printf(final String format, final Object... arguments)
    {
        out.append(String.format(Locale.ROOT, format, arguments));
    }
}
