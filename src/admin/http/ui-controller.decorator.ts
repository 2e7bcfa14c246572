import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { UiExceptionFilter } from 'src/admin/http/ui-exception.filter';
import { UiResponseInterceptor } from 'src/admin/http/ui-response.interceptor';

/**
 * A web UI controller: outside the API prefix (src/admin/ui-routes.ts), left out of the OpenAPI document, answers
 * with pages (UiResponseInterceptor) and shows errors as pages (UiExceptionFilter). Access is declared per handler
 * with @Authenticated / @Public exactly like the API, through the same global guard.
 */
export const UiController = (path = '') =>
  applyDecorators(Controller(path), ApiExcludeController(), UseFilters(UiExceptionFilter), UseInterceptors(UiResponseInterceptor));
