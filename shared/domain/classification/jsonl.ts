// Parsing of the JSON-lines files the classifier CLIs read: one intake per line, with or
// without labels. Errors name the line and the field, never echo the text (it may be personal).
import * as z from 'zod';
import { CHANNELS, NEEDS, URGENCIES } from '../model.js';
import type { LabelledIntake } from './evaluation.js';
import type { ClassificationInput } from './types.js';

const id = z.union([z.string(), z.number()]).nullish();
const intakeSchema = z.object({
  id,
  channel: z.enum(CHANNELS),
  text: z.string(),
  divisionCode: z.string().nullish(),
  categoryHint: z.string().nullish(),
});

const labelledSchema = z.object({
  id,
  channel: z.enum(CHANNELS),
  text: z.string(),
  categoryHint: z.string().nullish(),
  /** The structured division the channel sent (input); divisionCode is the expected answer. */
  inputDivisionCode: z.string().nullish(),
  needs: z.array(z.enum(NEEDS)),
  urgency: z.enum(URGENCIES),
  divisionCode: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
});

/** id: the line's own id as given (string or number), null when it has none or is not JSON. */
export type ParsedLine<T> = { ok: true; id: string | number | null; value: T } | { ok: false; id: string | number | null; error: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`)
    .join('; ');
}

function parseWith<S extends z.ZodType>(schema: S, line: string, lineNo: number): ParsedLine<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, id: null, error: `line ${lineNo}: not valid JSON` };
  }
  const rawId = json && typeof json === 'object' ? (json as { id?: unknown }).id : undefined;
  const knownId = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, id: knownId, error: `line ${lineNo}: ${describe(result.error)}` };
  return { ok: true, id: knownId, value: result.data };
}

/** One line of `npm run classify` input. */
export function parseIntakeLine(line: string, lineNo: number): ParsedLine<ClassificationInput> {
  const parsed = parseWith(intakeSchema, line, lineNo);
  if (!parsed.ok) return parsed;
  const { channel, text, divisionCode, categoryHint } = parsed.value;
  return { ok: true, id: parsed.id, value: { channel, text, divisionCode, categoryHint } };
}

export interface LabelledLine extends LabelledIntake {
  input: ClassificationInput;
}

/** One line of a labelled file (intake-samples.jsonl format, plus optional inputDivisionCode). */
export function parseLabelledLine(line: string, lineNo: number): ParsedLine<LabelledLine> {
  const parsed = parseWith(labelledSchema, line, lineNo);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  return {
    ok: true,
    id: parsed.id,
    value: {
      id: parsed.id === null ? `line ${lineNo}` : String(parsed.id),
      text: v.text,
      needs: v.needs,
      urgency: v.urgency,
      divisionCode: v.divisionCode,
      input: { channel: v.channel, text: v.text, divisionCode: v.inputDivisionCode, categoryHint: v.categoryHint },
    },
  };
}

/** Splits into non-blank lines, keeping 1-based line numbers. */
export function nonBlankLines(text: string): { line: string; lineNo: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line, lineNo: i + 1 }))
    .filter(({ line }) => line.trim() !== '');
}
