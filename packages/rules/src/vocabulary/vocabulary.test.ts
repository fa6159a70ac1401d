import { describe, expect, it } from 'vitest';
import { groups } from './group.js';
import { INDUSTRY_GROUP, industries, industriesOfGroup } from './industry.js';
import { isUrgentTaskType, taskTypes } from './task-type.js';
import { isSeniorTitle, rankTitle } from './title.js';

describe('vocabulary (第五条, 第六条)', () => {
  it('has the eight industries and the three groups of 第五条', () => {
    expect(industries.values).toHaveLength(8);
    expect(groups.values).toEqual([
      'metallurgy_nonferrous_machinery',
      'building_light_textile_tobacco_commerce',
      'comprehensive',
    ]);
  });

  it('maps metallurgy, non-ferrous and machinery to one group and the other five to the second', () => {
    expect(industriesOfGroup('metallurgy_nonferrous_machinery')).toEqual([
      'metallurgy',
      'nonferrous',
      'machinery',
    ]);
    expect(industriesOfGroup('building_light_textile_tobacco_commerce')).toHaveLength(5);
    expect(industriesOfGroup('comprehensive')).toEqual(industries.values);
    expect(Object.values(INDUSTRY_GROUP)).not.toContain('comprehensive');
  });

  it('labels every value in Chinese and English', () => {
    for (const vocabulary of [industries, groups, taskTypes]) {
      for (const value of vocabulary.values) {
        const label = (vocabulary.labels as Record<string, { zh: string; en: string }>)[value];
        expect(label?.zh).toMatch(/\p{Script=Han}/u);
        expect(label?.en).toMatch(/[A-Za-z]/);
      }
    }
  });

  it('lists the task types of 第六条 and treats accident rescue as urgent', () => {
    expect(taskTypes.values).toHaveLength(14);
    expect(taskTypes.values.filter(isUrgentTaskType)).toEqual(['accident_rescue']);
  });

  it('ranks titles and recognises senior ones (副高级以上)', () => {
    expect(rankTitle('senior_full')).toBeGreaterThan(rankTitle('senior_associate'));
    expect(isSeniorTitle('senior_associate')).toBe(true);
    expect(isSeniorTitle('intermediate')).toBe(false);
  });
});
