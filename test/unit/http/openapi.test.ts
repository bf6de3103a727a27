// The integrator contract: a valid OpenAPI 3.1 document with every route of the route table, whose
// request schemas accept what the handlers accept (the examples) and refuse what they refuse.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { hotline12338Schema, hotline12348Schema, webIntakeSchema } from '../../../shared/domain/intake/schemas.js';
import { openApiDocument, ROUTE_DOCS } from '../../../shared/http/openapi.js';
import { API_ROUTES } from '../../../shared/http/routes.js';

const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, any>> };
const example = (name: string) => JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const bodySchema = (path: string) => doc.paths[path]!.post.requestBody.content['application/json'].schema;

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has every route of the route table, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('says who may call each route: the HMAC headers for the hotlines, a JWT for staff, nobody for the public routes', () => {
    for (const r of API_ROUTES) {
      const op = doc.paths[r.path]![r.method.toLowerCase()];
      const expected = r.auth === 'signature' ? [{ keyId: [], signature: [] }] : r.auth === 'staff' ? [{ staffJwt: [] }] : [];
      expect(op.security, `${r.method} ${r.path}`).toEqual(expected);
      for (const p of r.path.match(/\{\w+\}/g) ?? []) expect(op.parameters.map((x: { name: string }) => `{${x.name}}`)).toContain(p);
    }
  });

  it.each([
    ['/intake/12338', '12338-routine.json', hotline12338Schema, 'consent'],
    ['/intake/12338', '12338-emergency.json', hotline12338Schema, 'consent'],
    ['/intake/12348', '12348.json', hotline12348Schema, 'agreeTransfer'],
    ['/intake/web', 'web.json', webIntakeSchema, 'consent'],
  ])('%s: its request schema accepts what the handler accepts (%s) and refuses what it refuses', (path, file, schema, field) => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(bodySchema(path));
    const body = example(file);
    expect(schema.safeParse(body).success).toBe(true);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    const broken = { ...body, [field]: 'yes' };
    expect(schema.safeParse(broken).success).toBe(false);
    expect(validate(broken)).toBe(false);
  });
});
