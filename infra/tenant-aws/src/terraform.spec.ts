import { buildSetupKit } from '@isola/tenant-storage';
import { KIT_CASES, terraformDocumentsVariables } from './kit-cases.js';
import { templateDocumentsOf } from './template-documents.js';
import { TERRAFORM_DIR } from './paths.js';
import { renderTerraformDocuments, terraform, type TerraformDocuments } from './terraform-documents.js';

/**
 * The Terraform module's documents, evaluated by terraform itself. Terraform is required: a machine
 * without it fails here with an explanation instead of skipping the check.
 */
describe('the Terraform module', () => {
  let rendered: Record<string, TerraformDocuments>;

  beforeAll(async () => {
    rendered = await renderTerraformDocuments(Object.fromEntries(KIT_CASES.map((c, i) => [`case_${i}`, terraformDocumentsVariables(c)])));
  }, 120_000);

  it.each(KIT_CASES.map((c, i) => [c.name, i] as const))('holds exactly the setup kit’s documents: %s', (_, i) => {
    const kit = buildSetupKit(KIT_CASES[i]!.input);
    const { trustPolicyWithoutExternalId, ...documents } = rendered[`case_${i}`]!;
    expect(documents).toEqual(templateDocumentsOf(kit));
    expect(trustPolicyWithoutExternalId).toEqual(kit.trustPolicyWithoutExternalId);
  });

  it('is formatted (terraform fmt -check -recursive)', async () => {
    await expect(terraform(['fmt', '-check', '-recursive', '-no-color', '.'], TERRAFORM_DIR)).resolves.toBe('');
  }, 60_000);
});
