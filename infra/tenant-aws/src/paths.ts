import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The CloudFormation template a studio deploys. */
export const TEMPLATE_PATH = resolve(root, 'cloudformation/isola-storage.yaml');
/** The Terraform module a studio applies, and its provider-free documents submodule. */
export const TERRAFORM_DIR = resolve(root, 'terraform');
export const DOCUMENTS_MODULE_DIR = resolve(TERRAFORM_DIR, 'modules/documents');
