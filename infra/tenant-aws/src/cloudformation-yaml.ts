import { parse, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Parses a CloudFormation YAML template into its JSON form: each short-form intrinsic (`!Ref X`,
 * `!If [...]`, `!GetAtt A.B`) becomes the long form (`{ Ref: X }`, `{ 'Fn::If': [...] }`,
 * `{ 'Fn::GetAtt': ['A', 'B'] }`), exactly as CloudFormation reads it.
 */
const FUNCTIONS = ['If', 'Join', 'Split', 'Select', 'Sub', 'Equals', 'Not', 'Or', 'And', 'GetAtt'] as const;

const collectionTags = (name: string): Tags =>
  (['seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection,
    resolve: (node: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [`Fn::${name}`]: node.toJSON() }),
  }));

const CUSTOM_TAGS: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': splitOnce(value) }) },
  ...FUNCTIONS.flatMap(collectionTags),
];

function splitOnce(value: string): [string, string] {
  const dot = value.indexOf('.');
  if (dot < 1) throw new Error(`!GetAtt ${value}: expected Resource.Attribute`);
  return [value.slice(0, dot), value.slice(dot + 1)];
}

export function parseCloudFormationYaml(text: string): CloudFormationTemplate {
  return parse(text, { customTags: CUSTOM_TAGS, uniqueKeys: true }) as CloudFormationTemplate;
}

export interface CloudFormationParameter {
  Type: 'String' | 'Number' | 'CommaDelimitedList';
  Default?: string | number;
}

export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CloudFormationTemplate {
  Parameters?: Record<string, CloudFormationParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CloudFormationResource>;
  Outputs?: Record<string, { Value: unknown }>;
}
