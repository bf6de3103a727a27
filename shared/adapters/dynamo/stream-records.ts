// DynamoDB Streams records as the SDK returns them → the DynamoDBRecord Lambda delivers (the SDK
// gives Dates and bytes where Lambda gives epoch seconds and base64). Used by the local runtime's
// stream poller and by the redrive, which reads records again from the stream.
import type { _Record, AttributeValue as StreamAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

function toLambdaAttribute(v: StreamAttributeValue): AttributeValue {
  if (v.M) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, toLambdaAttribute(x)])) };
  if (v.L) return { L: v.L.map(toLambdaAttribute) };
  if (v.B) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  return v as AttributeValue;
}

const image = (img: Record<string, StreamAttributeValue> | undefined) => (img ? Object.fromEntries(Object.entries(img).map(([k, v]) => [k, toLambdaAttribute(v)])) : undefined);

/** One stream record as Lambda delivers it. */
export function toLambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? 'local',
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: created ? Math.floor(new Date(created).getTime() / 1000) : undefined,
      Keys: image(d.Keys),
      NewImage: image(d.NewImage),
      OldImage: image(d.OldImage),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}
