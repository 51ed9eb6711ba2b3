extension Uploader {
    /// `yima serve --upload-to`: reports what is pending, waits `interval`, and again,
    /// until the task is cancelled. A batch is retried without limit; a refusal is
    /// reported and tried again after the interval (an operator may have fixed it).
    public func runContinuously(to receiver: String, format: UploadFormat, transport: any UploadTransport,
                                options: Options, interval: Duration,
                                report: @Sendable (Result<Summary, ServiceError>) -> Void) async {
        var options = options
        options.maxAttempts = nil
        while !Task.isCancelled {
            do {
                let summary = try await run(to: receiver, format: format, transport: transport, options: options)
                if summary.records > 0 { report(.success(summary)) }
            } catch {
                if Task.isCancelled { return }
                report(.failure(error))
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
