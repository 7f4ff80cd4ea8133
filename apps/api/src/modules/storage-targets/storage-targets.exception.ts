import { StorageTargetErrorCode, type StorageTargetIssueDto, type StorageTargetStatus } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export class StorageTargetsException extends ApiException {
  /** 400: one issue per broken rule, each naming the field and how to fix it. */
  static invalid(issues: StorageTargetIssueDto[]): StorageTargetsException {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join(' ');
    return new StorageTargetsException(400, StorageTargetErrorCode.Invalid, `The storage target is not valid. ${summary}`, { issues });
  }

  /** 409: another live target of the tenant already covers (part of) this bucket location. */
  static duplicate(existingTargetId: string): StorageTargetsException {
    return new StorageTargetsException(
      409,
      StorageTargetErrorCode.Duplicate,
      'This studio already has a storage target on this bucket whose prefix is the same or overlaps this one. Use that target, or choose a prefix outside it.',
      { existingTargetId },
    );
  }

  static notFound(): StorageTargetsException {
    return new StorageTargetsException(404, StorageTargetErrorCode.NotFound, 'No such storage target in this studio.');
  }

  static notIsolated(): StorageTargetsException {
    return new StorageTargetsException(
      409,
      StorageTargetErrorCode.NotIsolated,
      "Hosted storage lives in Isola's own bucket and role: it has no setup kit and no ExternalId to manage.",
    );
  }

  /** 503: a deployment without PLATFORM_TRUSTED_PRINCIPAL_ARNS cannot tell studios whom to trust. */
  static setupKitUnavailable(): StorageTargetsException {
    return new StorageTargetsException(
      503,
      StorageTargetErrorCode.SetupKitUnavailable,
      "The setup kit is unavailable: this Isola deployment does not name its platform principals (PLATFORM_TRUSTED_PRINCIPAL_ARNS). Contact Isola's operators.",
    );
  }

  /** 409: regenerating the ExternalId of a target that is in use (or retired). */
  static cannotRegenerate(status: StorageTargetStatus): StorageTargetsException {
    const message =
      status === 'active'
        ? "This target receives uploads now. A new ExternalId would lock Isola out until the role's trust policy names it, so Isola " +
          'does not change it on an active target. To rotate it: create a new target with the same bucket settings under another ' +
          "prefix (or ask for the role's trust policy to accept both values), verify and activate it, then regenerate the old one's."
        : 'This target is retired: nothing uses its ExternalId any more.';
    return new StorageTargetsException(409, StorageTargetErrorCode.WrongState, message, { status });
  }
}
