/**
 * An error of the sample APIs, in Zoho CRM's envelope (spec §11): `{"code","details","message","status":"error"}`.
 * FSM's own envelope is unconfirmed, so it uses CRM's.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): { code: string; details: Record<string, unknown>; message: string; status: 'error' } {
    return { code: this.code, details: this.details, message: this.message, status: 'error' };
  }
}

export const invalidModule = (module: string) =>
  new ApiError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0, module });
export const requiredParamMissing = (param: string) =>
  new ApiError(400, 'REQUIRED_PARAM_MISSING', 'required param is missing', { param_name: param });
export const invalidUrlPattern = () =>
  new ApiError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
export const invalidRequestMethod = () => new ApiError(405, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
export const invalidParam = (param: string, message: string) => new ApiError(400, 'INVALID_DATA', message, { param_name: param });
