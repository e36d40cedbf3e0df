// Type-checked against index.d.ts by make test-node (tsc --noEmit --strict): the README's handler
// and host calls, as a TypeScript user writes them.
import * as baton from '..';

const handler: baton.Handler = (event) => {
  const answer = Buffer.alloc(8);
  answer.writeBigInt64LE(2n * event.payload.readBigInt64LE(0));
  return [200, answer];
};

export async function host(path: string): Promise<number> {
  const channel = baton.Channel.create(path, { slabCapacity: 64, completionTimeoutMs: 1000 });
  const handle: bigint | null = channel.dispatch(Buffer.alloc(8), { eventId: 1n });
  const claimed: baton.Event | null = channel.poll({ timeoutMs: 10 });
  if (claimed !== null) {
    const answer = await handler(claimed);
    const completed: baton.Completed = channel.complete(claimed, 0, Array.isArray(answer) ? answer[1] : undefined);
    if (completed === baton.Completed.STALE || handle === null) {
      return 0;
    }
  }
  const outcomes: baton.Outcome[] = channel.drain();
  try {
    channel.complete(0n);
  } catch (error) {
    if (error instanceof baton.ENOENT) {
      console.log(error.code, error.codeName);
    }
  }
  channel.close();
  channel.detach();
  return outcomes.length + (await baton.serve(path, __filename, { workers: 2 }));
}
