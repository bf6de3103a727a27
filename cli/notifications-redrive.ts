// npm run notifications:redrive
// Replays what reached the notifier's dead-letter queue: each message's stream records are read
// again (the stream keeps them 24 hours) and handed to the notifier, whose notifications are
// idempotent; a message is deleted once all its records went through. Run it with the notifier's
// configuration (the stack's outputs and the function's environment) and an administrator's AWS
// credentials, e.g.:
//   NOTIFIER_DLQ_URL=<queue url> TABLE_NAME=<table> TOPIC_ARN=<topic> SMS_ADAPTER=sns npm run notifications:redrive
// The same runs in AWS with: aws lambda invoke --function-name <notifier> --payload '{"redrive":true}' out.json
// Prints counts and, for records no longer in the stream, the items they were about (keys only).
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createNotifierHandler, redriveDeadLetters } from '../functions/notifier/handler.js';
import { notifierDependencies } from '../shared/config/notifier.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const url = process.env.NOTIFIER_DLQ_URL?.trim();
if (!url) {
  process.stderr.write('notifications:redrive: set NOTIFIER_DLQ_URL to the notifier dead-letter queue (the stack output NotifierDlqUrl)\n');
  process.exit(2);
}
const endpoint = process.env.DYNAMODB_ENDPOINT;
const streams = new DynamoDBStreamsClient(endpoint ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {});
const report = await redriveDeadLetters(createNotifierHandler(notifierDependencies), url, streams, new SQSClient({}));
process.stdout.write(
  `messages ${report.messages}: replayed ${report.replayed} record(s), deleted ${report.deleted}, kept ${report.kept} (failed again), unreadable ${report.unreadable}, expired ${report.expired.length}\n`,
);
for (const e of report.expired)
  process.stdout.write(
    `  expired (older than the stream keeps): ${e.items.length ? e.items.join(', ') : 'a batch of the stream mapping'}; the referrals are still in their queues and escalate as usual\n`,
  );
