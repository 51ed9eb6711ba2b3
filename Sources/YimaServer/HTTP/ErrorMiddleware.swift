import Hummingbird
import Logging
import YimaCodes
import YimaText

/// Turns every error into a JSON error body with the right status (docs/api.md
/// §Errors); unexpected errors become a logged 500 with no detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let logger: Logger
    let maximumTargetLength: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The language is worked out only for an error: most requests never need it.
        var language: Language { Language.choose(lang: nil, acceptLanguage: request.headers[.acceptLanguage]) }
        if (request.head.path?.utf8.count ?? 0) > maximumTargetLength {
            return APIError.targetTooLong(maximumTargetLength).response(in: language)
        }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response(in: language)
        } catch let error as any HTTPResponseError {
            let mapped: APIError = switch error.status.code {
            case 404: .notFound
            case 405: .methodNotAllowed()
            case 413: .bodyTooLarge(context.maxUploadSize)
            case 400..<500: APIError(error.status, "bad-request", .badRequest)
            default: .internalError
            }
            if error.status.code >= 500 { logger.error("request failed", metadata: ["error": "\(error)"]) }
            return mapped.response(in: language)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError.internalError.response(in: language)
        }
    }
}
