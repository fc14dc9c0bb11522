namespace WasmKube.Kube.Client;

/// <summary>
/// Retries of requests the server did not process: 429 (honouring Retry-After), 5xx, and dropped connections.
/// Exponential backoff with full jitter, as client-go's rest client and the AWS backoff note recommend.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    public int MaxAttempts { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    internal TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } hinted)
        {
            return hinted < MaxDelay ? hinted : MaxDelay;
        }
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
