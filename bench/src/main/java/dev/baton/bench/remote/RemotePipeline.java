package dev.baton.bench.remote;

/**
 * A pipeline that carries numbers to a handler across a network transport (UDP on loopback here)
 * and their answers (twice the number) back. Each benchmark thread owns one.
 */
interface RemotePipeline extends AutoCloseable
{
    /**
     * Sends {@code count} numbers, then waits for their {@code count} answers and checks each.
     *
     * @return count.
     * @throws IllegalStateException if an answer is not twice its number.
     */
    int exchange(int count);

    @Override
    void close();

    /** @return the answer for a number: what every pipeline's handler computes. */
    static long answerTo(final long number)
    {
        return 2 * number;
    }
}
