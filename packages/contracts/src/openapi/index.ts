export {
  buildOpenApiDocument,
  errorCodesOf,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
} from './build-openapi-document.js';
export {
  API_ROUTES,
  type ApiRoute,
  type QueryParam,
  type RouteAccess,
  type RouteMethod,
  type RouteSuccess,
  type RouteTag,
} from './api-routes.js';
export {
  API_ERROR_CODES,
  ERROR_CODE_CATALOG,
  type ApiErrorCode,
  type ContractErrorCode,
  type ErrorCodeInfo,
  type ExternalErrorCode,
} from './error-catalog.js';
