// What the bundled functions get in place of @smithy/core/event-streams (about 15 KB of every
// bundle). The SDK loads it only for an operation that streams events (Transcribe, Bedrock, S3
// Select…); none of the clients these functions call has one. Should one ever be added, its first
// call fails with this message instead of doing something else.
const message = 'event streams are not bundled in this function (infra/function-bundling.ts: bundleAliases)';

export class EventStreamSerde {
  constructor() {
    throw new Error(message);
  }
}

export function eventStreamSerdeProvider(): never {
  throw new Error(message);
}
