import type { SetupKitResponse } from '@isola/contracts';

export type SetupKitDocumentName = keyof SetupKitResponse['documents'];

/** Every JSON document of the kit: its title, what it is for, and the file it downloads as. */
export const SETUP_KIT_DOCUMENTS: ReadonlyArray<{ name: SetupKitDocumentName; title: string; purpose: string; filename: string }> = [
  {
    name: 'trustPolicy',
    title: 'Role trust policy',
    purpose: 'Lets Isola’s principals assume the role, only with your ExternalId.',
    filename: 'isola-trust-policy.json',
  },
  {
    name: 'permissionPolicy',
    title: 'Role permission policy',
    purpose: 'Exactly the actions Isola needs, on this bucket and prefix only.',
    filename: 'isola-permission-policy.json',
  },
  {
    name: 'bucketCors',
    title: 'Bucket CORS',
    purpose: 'Browsers of this Isola site may upload and play media directly (GET, PUT, HEAD; ETag exposed).',
    filename: 'isola-bucket-cors.json',
  },
  {
    name: 'bucketLifecycle',
    title: 'Bucket lifecycle rules',
    purpose: 'Aborts abandoned multipart uploads after a day (and moves sources to Infrequent Access if you chose it).',
    filename: 'isola-bucket-lifecycle.json',
  },
  {
    name: 'bucketPolicy',
    title: 'Bucket policy',
    purpose: 'Refuses requests without TLS (and from outside Isola’s addresses, if you chose it).',
    filename: 'isola-bucket-policy.json',
  },
  {
    name: 'trustPolicyWithoutExternalId',
    title: 'Trust policy for Ceph RGW 16',
    purpose: 'For S3-compatible services that cannot evaluate sts:ExternalId (Isola still sends it).',
    filename: 'isola-trust-policy-ceph-rgw16.json',
  },
  {
    name: 'permissionPolicyForCephRgw16',
    title: 'Permission policy for Ceph RGW 16',
    purpose: 'Without s3:GetEncryptionConfiguration, which Ceph RGW 16 refuses.',
    filename: 'isola-permission-policy-ceph-rgw16.json',
  },
];

export const CLOUDFORMATION_FILENAME = 'isola-storage.yaml';
export const CLOUDFORMATION_PARAMETERS_FILENAME = 'isola-storage-parameters.json';
export const TERRAFORM_FILENAME = 'isola-storage.tf';

/** The kit options as the setup-kit route's query string ('' when all are off). */
export function setupKitQuery(options: { transitionSourcesAfterDays: string; sourceIps: string; vpcEndpointId: string }): string {
  const query = new URLSearchParams();
  const days = options.transitionSourcesAfterDays.trim();
  if (days !== '' && days !== '0') query.set('transitionSourcesAfterDays', days);
  const ips = options.sourceIps
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (ips.length > 0) query.set('sourceIps', ips.join(','));
  if (options.vpcEndpointId.trim() !== '') query.set('vpcEndpointId', options.vpcEndpointId.trim());
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
