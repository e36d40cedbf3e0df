package dev.baton.bench.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * What a user would write with gRPC instead: one bidirectional stream over HTTP/2 on loopback
 * (grpc-java on Netty), a request carrying the number and a response carrying twice it. No protobuf:
 * the messages are the eight bytes, marshalled by hand, so the figure is the transport's.
 */
final class GrpcPipeline implements RemotePipeline
{
    private static final MethodDescriptor.Marshaller<Long> NUMBER = new MethodDescriptor.Marshaller<>()
    {
        @Override
        public InputStream stream(final Long value)
        {
            return new ByteArrayInputStream(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        @Override
        public Long parse(final InputStream stream)
        {
            try
            {
                return ByteBuffer.wrap(stream.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<Long, Long> EXCHANGE = MethodDescriptor.<Long, Long>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("baton.bench.Doubler", "Exchange"))
        .setRequestMarshaller(NUMBER)
        .setResponseMarshaller(NUMBER)
        .build();

    private final Server server;
    private final ManagedChannel channel;
    private final StreamObserver<Long> requests;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long next;

    GrpcPipeline()
    {
        final int port = Transports.freePort();
        try
        {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .directExecutor()
                .addService(ServerServiceDefinition.builder("baton.bench.Doubler")
                    .addMethod(EXCHANGE, ServerCalls.asyncBidiStreamingCall(responses -> new StreamObserver<Long>()
                    {
                        @Override
                        public void onNext(final Long number)
                        {
                            responses.onNext(RemotePipeline.answerTo(number));
                        }

                        @Override
                        public void onError(final Throwable t)
                        {
                        }

                        @Override
                        public void onCompleted()
                        {
                            responses.onCompleted();
                        }
                    }))
                    .build())
                .build()
                .start();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(EXCHANGE, CallOptions.DEFAULT), new StreamObserver<>()
        {
            private long expected;

            @Override
            public void onNext(final Long answer)
            {
                if (answer != RemotePipeline.answerTo(expected))
                {
                    failure.compareAndSet(null, new IllegalStateException("answer " + answer + " for " + expected));
                }
                expected++;
                answered.lazySet(expected);
            }

            @Override
            public void onError(final Throwable t)
            {
                failure.compareAndSet(null, t);
            }

            @Override
            public void onCompleted()
            {
            }
        });
    }

    @Override
    public int exchange(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            requests.onNext(next++);
        }
        while (answered.get() < next)
        {
            if (failure.get() != null)
            {
                throw new IllegalStateException(failure.get());
            }
            Thread.onSpinWait();
        }
        return count;
    }

    @Override
    public void close()
    {
        requests.onCompleted();
        channel.shutdownNow();
        server.shutdownNow();
        try
        {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
