package dev.baton.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's targets: each with what was measured, a verdict computed from it, and, for a missed
 * one, why, from the measurements or the instruction counts that show it.
 */
final class Targets
{
    /** A target's verdict; NOT_MEASURED when a figure it needs is missing from the run. */
    private enum Verdict
    {
        MET("met"), MISSED("**missed**"), NOT_MEASURED("not measured");

        private final String text;

        Verdict(final String text)
        {
            this.text = text;
        }
    }

    /** One target and its verdict. */
    private record Target(String name, String measured, Verdict verdict, String why)
    {
    }

    private final List<Target> targets = new ArrayList<>();

    /**
     * A target on a ratio, {@code baseline / ours} for times or {@code ours / baseline} for rates: met at
     * {@code wanted} or more.
     */
    void ratio(final String name, final double ratio, final double wanted, final String detail, final String why)
    {
        targets.add(new Target(name, String.format(Locale.ROOT, "%.2f× (%s)", ratio, detail), verdict(ratio >= wanted, ratio), why));
    }

    /**
     * A target met when {@code met}; {@code measured} says what was compared, and {@code figures} are the
     * numbers {@code met} was computed from.
     */
    void check(final String name, final String measured, final boolean met, final String why, final double... figures)
    {
        targets.add(new Target(name, measured, verdict(met, figures), why));
    }

    private static Verdict verdict(final boolean met, final double... figures)
    {
        for (final double figure : figures)
        {
            if (Double.isNaN(figure))
            {
                return Verdict.NOT_MEASURED;
            }
        }
        return met ? Verdict.MET : Verdict.MISSED;
    }

    /** The zero-allocation target of a hot path: the worst B/op of its rows. */
    void zeroAllocation(final String path, final double worstBytesPerOp)
    {
        zeroAllocationNamed("0 B/op: " + path, worstBytesPerOp);
    }

    /** As {@link #zeroAllocation}, under a name of the caller's. */
    void zeroAllocationNamed(final String name, final double worstBytesPerOp)
    {
        // JMH's figure is a rate over the iteration; below 0.1 B/op it is rounding of nothing allocated.
        targets.add(new Target(name, String.format(Locale.ROOT, "%.3f B/op at most", worstBytesPerOp),
            verdict(worstBytesPerOp < 0.1, worstBytesPerOp), "An allocation on this path; `-prof gc` names the rate, a JFR allocation profile the site."));
    }

    /** Writes the table of every target under a heading, then why each missed one was missed. */
    void writeTo(final StringBuilder out, final String heading)
    {
        out.append("## ").append(heading).append("\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (final Target target : targets)
        {
            out.append("| ").append(target.name()).append(" | ").append(target.measured()).append(" | ")
                .append(target.verdict().text).append(" |\n");
        }
        out.append("\nA missed target is reported as missed; no baseline was changed to meet one.\n\n");
        if (targets.stream().anyMatch(target -> target.verdict() == Verdict.MISSED))
        {
            out.append("### Why the missed ones were missed\n\n");
            for (final Target target : targets)
            {
                if (target.verdict() == Verdict.MISSED)
                {
                    out.append("- **").append(target.name()).append(".** ").append(target.why().strip()).append('\n');
                }
            }
            out.append('\n');
        }
    }
}
