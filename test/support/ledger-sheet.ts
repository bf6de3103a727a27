// Township spreadsheets for the ledger's tests: rows of cells under the ledger's headings, made
// deterministically (a seed), each a different woman with a valid ID number and phone.
import { idCheckCharacter } from '../../shared/domain/ledger/id-number.js';
import { LEDGER_COLUMNS } from '../../shared/domain/ledger/import-rows.js';

export const HEADINGS = LEDGER_COLUMNS.map((c) => c.heading);

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One valid row for woman number `n` of county 220722 (长岭县). */
export function validRow(n: number, random: () => number): string[] {
  const year = 1960 + Math.floor(random() * 40);
  // Month, day and sequence from n: a different number for every n below 336,000.
  const first17 = `220722${year}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 12) % 28)).padStart(2, '0')}${String(Math.floor(n / 336) % 1000).padStart(3, '0')}`;
  const cells: Record<string, string> = {
    姓名: `妇女${n}`,
    身份证号: first17 + idCheckCharacter(first17),
    手机号: `139${String(10_000_000 + n).slice(-8)}`,
    区县代码: '220722',
    乡镇: ['太平山镇', '前七号镇', '北正镇'][n % 3]!,
    村: `第${1 + (n % 9)}村`,
    出生年份: String(year),
    丈夫外出时间: `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}`,
    丈夫务工地: ['长春', '北京', '大连'][n % 3]!,
    子女数: '2',
    '16岁以下子女数': '1',
    照料老人数: String(n % 3),
    残疾家属数: '0',
    经济困难: n % 4 === 0 ? '是' : '否',
    残疾: '否',
    重病: n % 10 === 0 ? '是' : '',
    处理依据: n % 10 === 0 ? '本人同意' : '履行法定职责',
    单独同意: n % 10 === 0 ? '是' : '',
    依据文书: '',
  };
  return HEADINGS.map((h) => cells[h] ?? '');
}
