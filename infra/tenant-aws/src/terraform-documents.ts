import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { IamPolicyDocument } from '@isola/tenant-storage';
import { DOCUMENTS_MODULE_DIR } from './paths.js';
import type { TemplateDocuments } from './template-documents.js';

const run = promisify(execFile);

export interface TerraformDocuments extends TemplateDocuments {
  trustPolicyWithoutExternalId: IamPolicyDocument;
}

/** Runs terraform with no network (no checkpoint calls, no provider downloads) and a throwaway CLI config. */
export async function terraform(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(process.env['TERRAFORM_PATH'] ?? 'terraform', args, {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: '/dev/null' },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        'terraform is not installed (or not on PATH; set TERRAFORM_PATH): the Terraform module cannot be checked. Install terraform ≥ 1.5.',
      );
    }
    throw new Error(`terraform ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/**
 * Renders the provider-free documents module once per case, for real: a throwaway root module (JSON
 * syntax) instantiates it per case, `terraform init` (offline: no provider) and `terraform apply` (it
 * only computes outputs) evaluate it, `terraform output -json` returns the values.
 */
export async function renderTerraformDocuments(
  cases: Record<string, Record<string, unknown>>,
): Promise<Record<string, TerraformDocuments>> {
  const dir = await mkdtemp(join(tmpdir(), 'isola-tf-documents-'));
  try {
    const source = relative(dir, DOCUMENTS_MODULE_DIR);
    const root = {
      module: Object.fromEntries(Object.entries(cases).map(([name, variables]) => [name, { source, ...variables }])),
      output: Object.fromEntries(Object.keys(cases).map((name) => [name, { value: `\${module.${name}}` }])),
    };
    await writeFile(join(dir, 'main.tf.json'), JSON.stringify(root, null, 2));
    await terraform(['init', '-no-color', '-input=false'], dir);
    await terraform(['apply', '-no-color', '-input=false', '-auto-approve'], dir);
    const outputs = JSON.parse(await terraform(['output', '-json', '-no-color'], dir)) as Record<
      string,
      { value: Record<string, unknown> }
    >;
    return Object.fromEntries(
      Object.keys(cases).map((name) => {
        const value = outputs[name]?.value;
        if (!value) throw new Error(`terraform produced no output for ${name}`);
        return [
          name,
          {
            trustPolicy: value['trust_policy'],
            trustPolicyWithoutExternalId: value['trust_policy_without_external_id'],
            permissionPolicy: value['permission_policy'],
            bucketCors: value['bucket_cors'],
            bucketLifecycle: value['bucket_lifecycle'],
            bucketPolicy: value['bucket_policy'],
          } as TerraformDocuments,
        ];
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
