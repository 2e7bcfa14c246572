import { ValidateUUID } from 'src/common/validation';

export class ClientParams {
  @ValidateUUID()
  clientId: string;
}
