package dev.baton.aeron;

/**
 * A node process for the tests: {@link NodeMain}'s node, with an {@link EchoHandler} thread on its
 * local channel. It says "ready" once started and serves until it is killed.
 */
public final class EchoNodeMain
{
    private EchoNodeMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final NodeMain.RunningNode running = NodeMain.start(args);
        final EchoHandler handler = new EchoHandler(running.local(), "echo-handler");
        System.out.println("ready " + running.summary());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        handler.close();
    }
}
