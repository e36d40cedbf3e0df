package dev.baton.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateSamplesTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void beforeTheFirstWindowHasPassedTheRateRunsFromTheStart()
    {
        final RateSamples samples = new RateSamples(0);
        assertEquals(50.0, samples.perSecondOver(2 * SECOND, 100, 10 * SECOND), 1e-9);
    }

    @Test
    void theRateRunsFromTheNewestSampleAtLeastAWindowOld()
    {
        final RateSamples samples = new RateSamples(0);
        // One reading a second, 1,000 recordings a second for ten seconds, then 5,000 a second.
        long count = 0;
        for (int second = 1; second <= 10; second++)
        {
            count += 1_000;
            samples.perSecondOver(second * SECOND, count, 2 * SECOND);
        }
        count += 5_000;
        // At 11 s, the newest sample at least 2 s old is the one of 9 s: (6,000 more) / 2 s.
        assertEquals(3_000.0, samples.perSecondOver(11 * SECOND, count, 2 * SECOND), 1e-9);
    }

    @Test
    void frequentReadingsKeepSamplesThatReachBackAWindow()
    {
        final RateSamples samples = new RateSamples(0);
        final long millisecond = SECOND / 1000;
        // A reading every millisecond for three seconds, 1 recording per millisecond, then a
        // 2 s window: only a sample per 62.5 ms (a thirty-second of it) is kept, so 64 reach back 4 s.
        double rate = 0;
        for (long ms = 1; ms <= 3000; ms++)
        {
            rate = samples.perSecondOver(ms * millisecond, ms, 2 * SECOND);
        }
        assertEquals(1_000.0, rate, 1e-9);
    }

    @Test
    void aReadingAtTheSameInstantAsTheStartReportsNoRate()
    {
        assertEquals(0.0, new RateSamples(7).perSecondOver(7, 10, SECOND));
    }
}
