import { MembersErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export class MembersException extends ApiException {
  static memberNotFound(): MembersException {
    return new MembersException(404, MembersErrorCode.MemberNotFound, 'No member of this studio has that id.');
  }

  static userNotFound(): MembersException {
    return new MembersException(
      404,
      MembersErrorCode.UserNotFound,
      'No Isola account has that email address: ask the person to create an account first, then add them.',
    );
  }

  static alreadyMember(): MembersException {
    return new MembersException(409, MembersErrorCode.AlreadyMember, 'That person is already a member of this studio.');
  }

  static lastAdmin(): MembersException {
    return new MembersException(
      409,
      MembersErrorCode.LastAdmin,
      'The studio would be left without an admin: make someone else an admin first.',
    );
  }
}
