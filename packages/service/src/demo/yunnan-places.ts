/** Cities (州、市) of Yunnan with some of their counties (GB/T 2260), for the demo pool. */
export const YUNNAN_CITIES: readonly {
  readonly code: string;
  readonly name: string;
  readonly counties: readonly string[];
  /** Relative share of experts, roughly by industrial weight. */
  readonly weight: number;
}[] = [
  {
    code: '530100',
    name: '昆明市',
    counties: ['530102', '530103', '530111', '530112', '530113', '530114', '530115', '530181'],
    weight: 30,
  },
  { code: '530300', name: '曲靖市', counties: ['530302', '530303', '530381'], weight: 9 },
  { code: '530400', name: '玉溪市', counties: ['530402', '530403', '530481'], weight: 8 },
  { code: '530500', name: '保山市', counties: ['530502'], weight: 3 },
  { code: '530600', name: '昭通市', counties: ['530602'], weight: 3 },
  { code: '530700', name: '丽江市', counties: ['530702'], weight: 2 },
  { code: '530800', name: '普洱市', counties: ['530802'], weight: 3 },
  { code: '530900', name: '临沧市', counties: ['530902'], weight: 2 },
  { code: '532300', name: '楚雄彝族自治州', counties: ['532301'], weight: 5 },
  {
    code: '532500',
    name: '红河哈尼族彝族自治州',
    counties: ['532501', '532502', '532503'],
    weight: 9,
  },
  { code: '532600', name: '文山壮族苗族自治州', counties: ['532601'], weight: 4 },
  { code: '532800', name: '西双版纳傣族自治州', counties: ['532801'], weight: 2 },
  { code: '532900', name: '大理白族自治州', counties: ['532901'], weight: 6 },
  { code: '533100', name: '德宏傣族景颇族自治州', counties: ['533102', '533103'], weight: 2 },
  { code: '533300', name: '怒江傈僳族自治州', counties: ['533301'], weight: 1 },
  { code: '533400', name: '迪庆藏族自治州', counties: ['533401'], weight: 1 },
];

/** Employers of the demo pool: name, kind, main industry, city code. Illustrative only. */
export const DEMO_EMPLOYERS: readonly {
  readonly id: string;
  readonly name: string;
  readonly kind:
    | 'enterprise'
    | 'design_institute'
    | 'evaluation_agency'
    | 'standardization_agency'
    | 'university'
    | 'government'
    | 'other';
  readonly industry:
    | 'metallurgy'
    | 'nonferrous'
    | 'machinery'
    | 'building_materials'
    | 'light_industry'
    | 'textiles'
    | 'tobacco'
    | 'commerce'
    | null;
  readonly city: string;
}[] = [
  {
    id: 'org-kmgt',
    name: '昆明钢铁控股有限公司',
    kind: 'enterprise',
    industry: 'metallurgy',
    city: '530100',
  },
  {
    id: 'org-yngt',
    name: '云南铜业（集团）有限公司',
    kind: 'enterprise',
    industry: 'nonferrous',
    city: '530100',
  },
  {
    id: 'org-ynxy',
    name: '云南锡业集团（控股）有限责任公司',
    kind: 'enterprise',
    industry: 'nonferrous',
    city: '532500',
  },
  {
    id: 'org-ynlv',
    name: '云南铝业股份有限公司',
    kind: 'enterprise',
    industry: 'nonferrous',
    city: '530100',
  },
  {
    id: 'org-yxgt',
    name: '玉溪钢铁集团有限公司',
    kind: 'enterprise',
    industry: 'metallurgy',
    city: '530400',
  },
  {
    id: 'org-qjgt',
    name: '曲靖钢铁集团有限公司',
    kind: 'enterprise',
    industry: 'metallurgy',
    city: '530300',
  },
  {
    id: 'org-kmjc',
    name: '昆明机床股份有限公司',
    kind: 'enterprise',
    industry: 'machinery',
    city: '530100',
  },
  {
    id: 'org-ynzj',
    name: '云南重型机械有限公司',
    kind: 'enterprise',
    industry: 'machinery',
    city: '530100',
  },
  {
    id: 'org-hxsn',
    name: '华新水泥（昆明东川）有限公司',
    kind: 'enterprise',
    industry: 'building_materials',
    city: '530100',
  },
  {
    id: 'org-dlsn',
    name: '大理红狮水泥有限公司',
    kind: 'enterprise',
    industry: 'building_materials',
    city: '532900',
  },
  {
    id: 'org-hyhh',
    name: '红云红河烟草（集团）有限责任公司',
    kind: 'enterprise',
    industry: 'tobacco',
    city: '530100',
  },
  {
    id: 'org-hter',
    name: '红塔烟草（集团）有限责任公司',
    kind: 'enterprise',
    industry: 'tobacco',
    city: '530400',
  },
  {
    id: 'org-ynby',
    name: '云南白药集团股份有限公司',
    kind: 'enterprise',
    industry: 'light_industry',
    city: '530100',
  },
  {
    id: 'org-ynpc',
    name: '普洱茶业集团有限公司',
    kind: 'enterprise',
    industry: 'light_industry',
    city: '530800',
  },
  {
    id: 'org-ynfz',
    name: '云南纺织（集团）股份有限公司',
    kind: 'enterprise',
    industry: 'textiles',
    city: '530100',
  },
  {
    id: 'org-ynsm',
    name: '云南省商业储运有限公司',
    kind: 'enterprise',
    industry: 'commerce',
    city: '530100',
  },
  {
    id: 'org-lcty',
    name: '临沧南华糖业有限公司',
    kind: 'enterprise',
    industry: 'light_industry',
    city: '530900',
  },
  {
    id: 'org-ynsj',
    name: '昆明有色冶金设计研究院股份公司',
    kind: 'design_institute',
    industry: null,
    city: '530100',
  },
  {
    id: 'org-ynaq',
    name: '云南安泰安全评价检测有限公司',
    kind: 'evaluation_agency',
    industry: null,
    city: '530100',
  },
  {
    id: 'org-ynbz',
    name: '云南安标安全生产标准化评审中心',
    kind: 'standardization_agency',
    industry: null,
    city: '530100',
  },
  { id: 'org-kmlg', name: '昆明理工大学', kind: 'university', industry: null, city: '530100' },
  { id: 'org-ynkd', name: '云南大学', kind: 'university', industry: null, city: '530100' },
  {
    id: 'org-ynaky',
    name: '云南省安全生产科学技术研究院',
    kind: 'government',
    industry: null,
    city: '530100',
  },
  {
    id: 'org-hhzx',
    name: '红河州安全生产技术服务中心',
    kind: 'other',
    industry: null,
    city: '532500',
  },
];

export const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗段杞普尹李和字杨苏左'.split('');
export const GIVEN_NAME_CHARACTERS =
  '明华建国志强伟军勇杰涛斌磊超刚平辉鹏文云海波峰林玲丽娟敏静燕红梅兰芳萍琼德福寿昌荣宏永'.split(
    '',
  );
