import { UploadErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export { UploadErrorCode };

/** Every error the upload routes answer with besides validation and storage errors (codes: @isola/contracts). */
export class UploadsException extends ApiException {
  static multipartRequired(): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.MultipartRequired,
      'Isola only accepts multipart uploads: configure the uploader with shouldUseMultipart: true.',
    );
  }

  static invalidSize(reason: string): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.InvalidSize,
      `metadata.size ${reason}: send the file's size in bytes, a whole number ≥ 1.`,
    );
  }

  static tooLarge(declared: bigint, limit: bigint): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.UploadTooLarge,
      `The file is ${formatBytes(declared)}; the largest upload allowed is ${formatBytes(limit)}.`,
      { declaredBytes: declared.toString(), maxBytes: limit.toString() },
    );
  }

  static filenameTooLong(max: number): UploadsException {
    return new UploadsException(400, UploadErrorCode.FilenameTooLong, `The filename is longer than ${max} characters.`, { maxChars: max });
  }

  static invalidPartNumber(max: number): UploadsException {
    return new UploadsException(400, UploadErrorCode.InvalidPartNumber, `Part numbers are whole numbers from 1 to ${max}.`);
  }

  static invalidPartNumberList(max: number): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.InvalidPartNumber,
      `partNumbers must list 1 to ${max} distinct part numbers, separated by commas (such as 1,2,3).`,
      { maxParts: max },
    );
  }

  static partTooSmall(partNumber: number, size: number, min: number): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.PartTooSmall,
      `Part ${partNumber} is ${size} bytes; every part but the last must be at least ${formatBytes(BigInt(min))}.`,
      { partNumber, size, minBytes: min },
    );
  }

  static invalidPart(message: string, partNumber?: number): UploadsException {
    return new UploadsException(400, UploadErrorCode.InvalidPart, message, partNumber === undefined ? undefined : { partNumber });
  }

  static sizeMismatch(declared: bigint, received: bigint): UploadsException {
    return new UploadsException(
      422,
      UploadErrorCode.SizeMismatch,
      `The upload holds ${received} bytes but ${declared} were declared; it has been marked failed.`,
      { declaredBytes: declared.toString(), receivedBytes: received.toString() },
    );
  }

  static notFound(): UploadsException {
    return new UploadsException(404, UploadErrorCode.UploadNotFound, 'No such upload.');
  }

  static keyMismatch(): UploadsException {
    return new UploadsException(
      400,
      UploadErrorCode.UploadKeyMismatch,
      'The key does not belong to this upload: send back the key the create call returned.',
    );
  }

  static alreadyCompleted(): UploadsException {
    return new UploadsException(409, UploadErrorCode.UploadAlreadyCompleted, 'This upload is already complete.');
  }

  static aborted(): UploadsException {
    return new UploadsException(409, UploadErrorCode.UploadAborted, 'This upload was aborted or failed; start a new one.');
  }

  static noActiveTarget(): UploadsException {
    return new UploadsException(
      409,
      UploadErrorCode.NoActiveStorageTarget,
      'Your studio has no active storage target yet: an admin must connect and activate one before uploading.',
    );
  }

  static targetNotActive(status: string): UploadsException {
    return new UploadsException(
      409,
      UploadErrorCode.StorageTargetNotActive,
      `Your studio's storage target is ${status}, not active: an admin must verify and activate it before uploading.`,
      { targetStatus: status },
    );
  }
}

/** `5 GiB`, `1.5 TiB`, `12 bytes`: for messages only. */
export function formatBytes(bytes: bigint): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(2))} ${units[unit]}`;
}
