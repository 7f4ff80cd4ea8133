import { SupportErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export class SupportException extends ApiException {
  /** 409: support grants exist for hosted tenants only. */
  static accessNotAllowed(mode: 'isolated' | 'none'): SupportException {
    return new SupportException(
      409,
      SupportErrorCode.AccessNotAllowed,
      mode === 'isolated'
        ? "Support staff never get access to an isolated studio's media, so no support grant can be given."
        : 'Support grants are for tenants whose media are hosted by Isola; this tenant has no storage yet.',
      { storageMode: mode },
    );
  }

  /** 403: a staff member may not reach this tenant's media (isolated, or no live grant). */
  static accessDenied(reason: 'isolated' | 'no-grant' | 'not-staff'): SupportException {
    const messages = {
      isolated: "Support staff never get access to an isolated studio's media.",
      'no-grant': "Support staff reach a hosted studio's media only through a live support grant from one of its admins.",
      'not-staff': "Only the studio's own members may reach its media.",
    } as const;
    return new SupportException(403, SupportErrorCode.AccessDenied, messages[reason], { reason });
  }

  static grantNotFound(): SupportException {
    return new SupportException(404, SupportErrorCode.GrantNotFound, 'No such support grant in this studio.');
  }
}
