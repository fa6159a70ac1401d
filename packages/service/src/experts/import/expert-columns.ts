import {
  type Expert,
  employerKinds,
  expertStates,
  groups,
  industries,
  safetyEngineerLevels,
  tiers,
  titles,
} from '@expert-dispatch/rules';

type Kind = 'text' | 'integer' | 'boolean' | 'enum' | 'enumList' | 'list';

interface Vocab {
  readonly values: readonly string[];
  readonly labels: Readonly<Record<string, { readonly zh: string; readonly en: string }>>;
}

/** One CSV column of an expert: its Chinese header, its English header and its field. */
export interface ExpertColumn {
  readonly zh: string;
  readonly en: string;
  /** More headers accepted on import. */
  readonly aliases: readonly string[];
  /** Where the value goes in the Expert JSON, e.g. ['employer', 'name']. */
  readonly path: readonly string[];
  readonly kind: Kind;
  readonly vocabulary?: Vocab;
  /** Short forms accepted in cells of this column, e.g. `中级` under 注册安全工程师. */
  readonly cellAliases?: Readonly<Record<string, string | null>>;
}

const column = (
  zh: string,
  en: string,
  path: readonly string[],
  kind: Kind,
  extra: {
    aliases?: readonly string[];
    vocabulary?: Vocab;
    cellAliases?: Readonly<Record<string, string | null>>;
  } = {},
): ExpertColumn => ({
  zh,
  en,
  path,
  kind,
  aliases: extra.aliases ?? [],
  ...(extra.vocabulary ? { vocabulary: extra.vocabulary } : {}),
  ...(extra.cellAliases ? { cellAliases: extra.cellAliases } : {}),
});

/** Chinese names of the common specialty tags (glossary), accepted on import. */
export const SPECIALTY_LABELS: Readonly<Record<string, string>> = {
  粉尘涉爆: 'dust_explosion',
  涉氨制冷: 'ammonia_refrigeration',
  有限空间作业: 'confined_space',
  高温熔融金属: 'molten_metal',
  煤气: 'gas',
  铝加工深井铸造: 'deep_well_casting',
  电气: 'electrical',
  特种设备: 'special_equipment',
  消防: 'fire',
  职业健康: 'occupational_health',
  危险化学品使用: 'hazardous_chemicals',
};

/**
 * The CSV columns of an expert, in export order. Import accepts the Chinese header, the English
 * header or an alias, in any order; enumerations accept the identifier or its Chinese or
 * English label (`正高级` = `senior_full`); lists are separated by `;`, `；`, `、` or `|`;
 * booleans are `true/false`, `是/否`, `1/0`, `yes/no`. Conflicts, unavailability and warnings
 * travel in JSON imports only.
 */
export const EXPERT_COLUMNS: readonly ExpertColumn[] = [
  column('编号', 'id', ['id'], 'text', { aliases: ['专家编号'] }),
  column('姓名', 'name', ['name'], 'text'),
  column('出生日期', 'birthDate', ['birthDate'], 'text'),
  column('手机', 'phone', ['phone'], 'text', {
    aliases: ['手机号', '手机号码', '联系电话', '电话'],
  }),
  column('身份证号', 'idNumber', ['idNumber'], 'text', { aliases: ['身份证号码', '公民身份号码'] }),
  column('职称', 'title', ['title'], 'enum', { vocabulary: titles }),
  column('注册安全工程师', 'safetyEngineer', ['safetyEngineer'], 'enum', {
    vocabulary: safetyEngineerLevels,
    cellAliases: {
      高级: 'senior',
      中级: 'intermediate',
      初级: 'assistant',
      助理: 'assistant',
      无: null,
      none: null,
    },
  }),
  column('从业年限', 'practiceYears', ['practiceYears'], 'integer', {
    aliases: ['从业年数', '工作年限'],
  }),
  column('单位编号', 'employerId', ['employer', 'id'], 'text'),
  column('单位名称', 'employerName', ['employer', 'name'], 'text', {
    aliases: ['工作单位', '所在单位'],
  }),
  column('单位类型', 'employerKind', ['employer', 'kind'], 'enum', { vocabulary: employerKinds }),
  column('行政区划', 'region', ['region'], 'text', { aliases: ['行政区划代码', '地区代码'] }),
  column('层级', 'tier', ['tier'], 'enum', { vocabulary: tiers }),
  column('专家组别', 'group', ['group'], 'enum', {
    aliases: ['组别'],
    vocabulary: groups,
    cellAliases: { 综合组: 'comprehensive', 综合: 'comprehensive' },
  }),
  column('行业', 'industries', ['industries'], 'enumList', {
    aliases: ['所属行业'],
    vocabulary: industries,
  }),
  column('专业特长', 'specialties', ['specialties'], 'list'),
  column('状态', 'status', ['status'], 'enum', { vocabulary: expertStates }),
  column('聘期开始', 'appointmentFrom', ['appointment', 'from'], 'text'),
  column('聘期结束', 'appointmentTo', ['appointment', 'to'], 'text'),
  column('聘书已盖章', 'appointmentSealed', ['appointment', 'sealed'], 'boolean', {
    aliases: ['已盖章'],
  }),
  column('特别优秀', 'outstanding', ['outstanding'], 'boolean'),
  column('年龄豁免', 'ageWaiver', ['ageWaiver'], 'boolean', { aliases: ['经批准超龄'] }),
  column('取消资格日期', 'disqualifiedOn', ['disqualifiedOn'], 'text'),
  column('信息更新时间', 'profileUpdatedAt', ['profileUpdatedAt'], 'text'),
];

const BY_HEADER = new Map<string, ExpertColumn>(
  EXPERT_COLUMNS.flatMap((c) =>
    [c.zh, c.en, ...c.aliases].map((h) => [normalizeHeader(h), c] as const),
  ),
);

/** The column a header names, or undefined. Case, spaces and full-width spaces are ignored. */
export function columnOfHeader(header: string): ExpertColumn | undefined {
  return BY_HEADER.get(normalizeHeader(header));
}

function normalizeHeader(header: string): string {
  return header.replace(/[\s\u3000]/g, '').toLowerCase();
}

const LIST_SEPARATOR = /[;；、|]/;
const TRUE = new Set(['true', '是', '1', 'yes', 'y']);
const FALSE = new Set(['false', '否', '0', 'no', 'n']);

/**
 * The JSON value of a cell, or undefined for an empty cell. A value that cannot be read is
 * passed through as text, so that validation reports it with its field path.
 */
export function readCell(cell: string, col: ExpertColumn): unknown {
  const text = cell.trim();
  if (text === '') return col.kind === 'list' || col.kind === 'enumList' ? [] : undefined;
  if (col.cellAliases && Object.hasOwn(col.cellAliases, text)) return col.cellAliases[text];
  switch (col.kind) {
    case 'text':
      return text;
    case 'integer':
      return /^\d{1,9}$/.test(text) ? Number(text) : text;
    case 'boolean': {
      const lower = text.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
    }
    case 'enum':
      return fromLabel(text, col.vocabulary);
    case 'enumList':
      return splitList(text).map((item) => fromLabel(item, col.vocabulary));
    case 'list':
      return splitList(text).map((item) => SPECIALTY_LABELS[item] ?? item);
  }
}

function splitList(text: string): string[] {
  return text
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function fromLabel(text: string, vocabulary: Vocab | undefined): string {
  if (!vocabulary || vocabulary.values.includes(text)) return text;
  const lower = text.toLowerCase();
  const found = vocabulary.values.find((value) => {
    const label = vocabulary.labels[value];
    return label !== undefined && (label.zh === text || label.en.toLowerCase() === lower);
  });
  return found ?? text;
}

const SPECIALTY_OF_TAG = new Map(Object.entries(SPECIALTY_LABELS).map(([zh, tag]) => [tag, zh]));

/**
 * The cells of an expert in {@link EXPERT_COLUMNS} order. With `labels` (what an office reads),
 * enumerations are written as their Chinese labels (副高级, 企业, 烟草), common specialties by
 * their Chinese names and booleans as 是/否 — all of which {@link readCell} reads back to the same
 * values; without it, as identifiers.
 *
 * @example
 * expertToCells(expert, { labels: true })[5]; // '副高级'
 */
export function expertToCells(
  expert: Expert | Record<string, unknown>,
  options: { readonly labels?: boolean } = {},
): string[] {
  return EXPERT_COLUMNS.map((col) => {
    let value: unknown = expert;
    for (const key of col.path) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    if (value === undefined || value === null) return '';
    if (options.labels) return labelOf(value, col);
    if (Array.isArray(value)) return value.join(';');
    return String(value);
  });
}

function labelOf(value: unknown, col: ExpertColumn): string {
  if (Array.isArray(value)) return value.map((item) => labelOf(item, col)).join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  const text = String(value);
  if (col.kind === 'list') return SPECIALTY_OF_TAG.get(text) ?? text;
  return col.vocabulary?.labels[text]?.zh ?? text;
}
