// Reads a DynamoDB Stream image (attribute-value JSON, as Lambda delivers it) into a plain object.
// Numbers become JS numbers (the table holds small integers and epoch values only); sets become arrays.
import type { AttributeValue } from 'aws-lambda';

export function fromAttributeValue(v: AttributeValue): unknown {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.M !== undefined) return unmarshallImage(v.M);
  if (v.L !== undefined) return v.L.map(fromAttributeValue);
  if (v.SS !== undefined) return [...v.SS];
  if (v.NS !== undefined) return v.NS.map(Number);
  if (v.B !== undefined) return v.B;
  if (v.BS !== undefined) return [...v.BS];
  return undefined;
}

export function unmarshallImage(image: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  if (!image) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(image)) out[k] = fromAttributeValue(v);
  return out;
}
