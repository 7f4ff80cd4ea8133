import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * infra/tenant-aws/cloudformation/isola-storage.yaml — the template studios deploy — read from the
 * repository next to the API (src/ and dist/ sit at the same depth), once, and served verbatim.
 */
export const CLOUDFORMATION_TEMPLATE_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../infra/tenant-aws/cloudformation/isola-storage.yaml',
);

@Injectable()
export class CloudFormationTemplate {
  private text: Promise<string> | undefined;

  read(): Promise<string> {
    this.text ??= readFile(CLOUDFORMATION_TEMPLATE_PATH, 'utf8').catch((error: unknown) => {
      this.text = undefined; // a later request may succeed (e.g. the file was being deployed)
      throw new Error(`cannot read the CloudFormation template at ${CLOUDFORMATION_TEMPLATE_PATH}`, { cause: error });
    });
    return this.text;
  }
}
