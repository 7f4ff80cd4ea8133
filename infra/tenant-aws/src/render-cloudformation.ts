import type { CloudFormationTemplate } from './cloudformation-yaml.js';

/**
 * A small, strict evaluator for the intrinsic functions Isola's template uses — Ref (parameters,
 * pseudo parameters, resources), Fn::Sub, Fn::If with Conditions (Fn::Equals, Fn::Not, Fn::Or,
 * Fn::And, Condition), Fn::Join, Fn::Split, Fn::Select, Fn::GetAtt (a bucket's or a role's Arn) and
 * AWS::NoValue — following CloudFormation's documented semantics. Anything else throws: a template
 * that starts using another function must teach this evaluator first, never be half-rendered.
 */

export interface RenderContext {
  /** Values for the template's parameters (strings, as the CLI passes them); missing ones take their Default. */
  parameters: Record<string, string>;
  accountId: string;
  region: string;
  partition: string;
}

export interface RenderedTemplate {
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  outputs: Record<string, unknown>;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Value = unknown;

export function renderCloudFormation(template: CloudFormationTemplate, context: RenderContext): RenderedTemplate {
  const parameters = resolveParameters(template, context);
  const conditionCache = new Map<string, boolean>();
  const resources = template.Resources;

  const condition = (name: string): boolean => {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const result = evaluateCondition(definition);
    conditionCache.set(name, result);
    return result;
  };

  const evaluateCondition = (node: Value): boolean => {
    const [fn, args] = intrinsic(node) ?? [];
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = expectArray(args, 2, fn);
        return scalarText(evaluate(a)) === scalarText(evaluate(b));
      }
      case 'Fn::Not':
        return !evaluateCondition(expectArray(args, 1, fn)[0]);
      case 'Fn::Or':
        return expectArray(args, undefined, fn).some(evaluateCondition);
      case 'Fn::And':
        return expectArray(args, undefined, fn).every(evaluateCondition);
      case 'Condition':
        return condition(String(args));
      default:
        throw new Error(`unsupported condition function ${JSON.stringify(node)}`);
    }
  };

  const ref = (name: string): Value => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::Partition') return context.partition;
    if (name === 'AWS::AccountId') return context.accountId;
    if (name === 'AWS::Region') return context.region;
    if (name in parameters) return parameters[name];
    const resource = resources[name];
    if (resource?.Type === 'AWS::S3::Bucket') return evaluate(resource.Properties?.['BucketName']);
    if (resource?.Type === 'AWS::IAM::Role') return evaluate(resource.Properties?.['RoleName']);
    throw new Error(`Ref ${name}: not a parameter, pseudo parameter or supported resource`);
  };

  const getAtt = (resourceName: string, attribute: string): Value => {
    const resource = resources[resourceName];
    if (attribute !== 'Arn' || resource === undefined) throw new Error(`Fn::GetAtt ${resourceName}.${attribute} is not supported`);
    if (resource.Type === 'AWS::S3::Bucket') return `arn:${context.partition}:s3:::${String(ref(resourceName))}`;
    if (resource.Type === 'AWS::IAM::Role') return `arn:${context.partition}:iam::${context.accountId}:role/${String(ref(resourceName))}`;
    throw new Error(`Fn::GetAtt ${resourceName}.Arn: unsupported resource type ${resource.Type}`);
  };

  const sub = (args: Value): string => {
    const [text, variables] = typeof args === 'string' ? [args, {}] : (expectArray(args, 2, 'Fn::Sub') as [string, Record<string, Value>]);
    if (typeof text !== 'string') throw new Error('Fn::Sub needs a string');
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in variables) return scalarText(evaluate(variables[name]));
      const dot = name.indexOf('.');
      const value = dot > 0 && !name.startsWith('AWS::') ? getAtt(name.slice(0, dot), name.slice(dot + 1)) : ref(name);
      return scalarText(value);
    });
  };

  const evaluate = (node: Value): Value => {
    if (Array.isArray(node)) return node.map(evaluate).filter((item) => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const call = intrinsic(node);
    if (call) {
      const [fn, args] = call;
      switch (fn) {
        case 'Ref':
          return ref(String(args));
        case 'Fn::Sub':
          return sub(args);
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = expectArray(args, 3, fn);
          return evaluate(condition(String(name)) ? whenTrue : whenFalse);
        }
        case 'Fn::Join': {
          const [separator, items] = expectArray(args, 2, fn);
          return asList(evaluate(items), fn).map(scalarText).join(String(separator));
        }
        case 'Fn::Split': {
          const [separator, text] = expectArray(args, 2, fn);
          return scalarText(evaluate(text)).split(String(separator));
        }
        case 'Fn::Select': {
          const [index, items] = expectArray(args, 2, fn);
          const list = asList(evaluate(items), fn);
          const i = Number(evaluate(index));
          if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new Error(`Fn::Select index ${i} out of range`);
          return list[i];
        }
        case 'Fn::GetAtt': {
          const [resourceName, attribute] = expectArray(args, 2, fn);
          return getAtt(String(resourceName), String(attribute));
        }
        default:
          throw new Error(`unsupported intrinsic ${fn}`);
      }
    }
    const result: Record<string, Value> = {};
    for (const [key, value] of Object.entries(node)) {
      const evaluated = evaluate(value);
      if (evaluated !== NO_VALUE) result[key] = evaluated;
    }
    return result;
  };

  const rendered: RenderedTemplate = { resources: {}, outputs: {} };
  for (const [name, resource] of Object.entries(resources)) {
    if (resource['Condition'] !== undefined && !condition(String(resource['Condition']))) continue;
    rendered.resources[name] = { Type: resource.Type, Properties: evaluate(resource.Properties ?? {}) as Record<string, unknown> };
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) rendered.outputs[name] = evaluate(output.Value);
  return rendered;
}

function resolveParameters(template: CloudFormationTemplate, context: RenderContext): Record<string, Value> {
  const resolved: Record<string, Value> = {};
  const declared = template.Parameters ?? {};
  for (const name of Object.keys(context.parameters)) if (!(name in declared)) throw new Error(`unknown parameter ${name}`);
  for (const [name, declaration] of Object.entries(declared)) {
    const raw = context.parameters[name] ?? (declaration.Default === undefined ? undefined : String(declaration.Default));
    if (raw === undefined) throw new Error(`parameter ${name} has no value and no default`);
    // Ref of a CommaDelimitedList is a list; of a Number, the number (CloudFormation passes it on as such).
    resolved[name] = declaration.Type === 'CommaDelimitedList' ? raw.split(',') : declaration.Type === 'Number' ? Number(raw) : raw;
  }
  return resolved;
}

const INTRINSICS = new Set([
  'Ref',
  'Condition',
  'Fn::Sub',
  'Fn::If',
  'Fn::Join',
  'Fn::Split',
  'Fn::Select',
  'Fn::GetAtt',
  'Fn::Equals',
  'Fn::Not',
  'Fn::Or',
  'Fn::And',
]);

function intrinsic(node: Value): [string, Value] | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (INTRINSICS.has(key)) return [key, (node as Record<string, Value>)[key]];
  if (key.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${key}`);
  return undefined;
}

function expectArray(args: Value, length: number | undefined, fn: string): Value[] {
  if (!Array.isArray(args) || (length !== undefined && args.length !== length)) {
    throw new Error(`${fn} expects ${length ?? 'a list of'} arguments, got ${JSON.stringify(args)}`);
  }
  return args;
}

function asList(value: Value, fn: string): Value[] {
  if (!Array.isArray(value)) throw new Error(`${fn} expects a list, got ${JSON.stringify(value)}`);
  return value;
}

function scalarText(value: Value): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a scalar, got ${JSON.stringify(value)}`);
}
