// Administrative divisions of the province (GB/T 2260), parsed from data/divisions.csv.

export type DivisionLevel = 'province' | 'prefecture' | 'county';

export interface Division {
  code: string;
  name: string;
  shortName: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export interface DivisionIndex {
  readonly all: readonly Division[];
  get(code: string): Division | undefined;
  /** The prefecture a county belongs to (a prefecture is its own); undefined for unknown codes and the province. */
  prefectureOf(code: string): Division | undefined;
  province: Division;
}

const LEVELS: readonly DivisionLevel[] = ['province', 'prefecture', 'county'];
const HEADER = ['code', 'name', 'short_name', 'level', 'parent_code'];

/** Parses the CSV; throws with the line number on anything malformed so a bad data edit fails loudly. */
export function parseDivisionsCsv(text: string): Division[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (!header || header.join(',') !== HEADER.join(',')) {
    throw new Error(`divisions.csv: header must be ${HEADER.join(',')}`);
  }
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const [code, name, shortName, level, parentCode] = cells;
    if (cells.length !== 5 || !code || !/^\d{6}$/.test(code) || !name || !shortName) {
      throw new Error(`divisions.csv line ${i + 2}: expected code(6 digits),name,short_name,level,parent_code`);
    }
    if (!LEVELS.includes(level as DivisionLevel)) {
      throw new Error(`divisions.csv line ${i + 2}: unknown level "${level}"`);
    }
    return { code, name, shortName, level: level as DivisionLevel, parentCode: parentCode || null };
  });
}

export function indexDivisions(divisions: readonly Division[]): DivisionIndex {
  const byCode = new Map(divisions.map((d) => [d.code, d]));
  const province = divisions.find((d) => d.level === 'province');
  if (!province) throw new Error('divisions: no province row');
  for (const d of divisions) {
    if (d.parentCode && !byCode.has(d.parentCode)) {
      throw new Error(`divisions: ${d.code} names unknown parent ${d.parentCode}`);
    }
  }
  return {
    all: divisions,
    province,
    get: (code) => byCode.get(code),
    prefectureOf(code) {
      const d = byCode.get(code);
      if (!d) return undefined;
      if (d.level === 'prefecture') return d;
      if (d.level === 'county' && d.parentCode) return byCode.get(d.parentCode);
      return undefined;
    },
  };
}
