import { MediaErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export { MediaErrorCode };

/** Errors of the media routes besides validation and storage errors (codes: @isola/contracts). */
export class MediaException extends ApiException {
  static notFound(): MediaException {
    return new MediaException(404, MediaErrorCode.MediaNotFound, 'No such media.');
  }

  static notReady(status: string): MediaException {
    return new MediaException(
      409,
      MediaErrorCode.MediaNotReady,
      status === 'failed'
        ? 'This media failed to upload: there is nothing to link to.'
        : 'This media is still uploading: links are available once it is stored.',
      { status },
    );
  }

  static notReprocessable(status: string): MediaException {
    return new MediaException(
      409,
      MediaErrorCode.NotReprocessable,
      `A media that is ${status} cannot be re-processed now: only ready or failed media with a stored source can.`,
    );
  }

  static invalidCursor(): MediaException {
    return new MediaException(400, MediaErrorCode.InvalidCursor, 'The cursor is not valid: use the nextCursor of the previous page.');
  }
}
