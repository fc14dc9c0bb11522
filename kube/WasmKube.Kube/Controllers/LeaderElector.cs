using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// Lease-based leader election following client-go's leaderelection: expiry is judged by the local time at which a
/// change of the lease was last observed (not by the holder's clock), writes are guarded by resourceVersion, and a
/// leader that cannot renew within RenewDeadline stops leading.
/// </summary>
public sealed class LeaderElector(IKubernetesClient client, LeaderElectionOptions options, ILogger<LeaderElector>? logger = null, TimeProvider? timeProvider = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private (string? Holder, DateTimeOffset? RenewTime, string? Version) _observed;
    private DateTimeOffset _observedAt;

    public LeaderElectionOptions Options => options;

    public bool IsLeader { get; private set; }

    /// <summary>
    /// Campaigns until elected, runs <paramref name="lead"/> while leadership lasts and returns when it is lost or
    /// <paramref name="cancellationToken"/> fires (the lead callback is cancelled in both cases).
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!await TryCampaignAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(Jitter(options.RetryPeriod), _time, cancellationToken).ConfigureAwait(false);
        }
        _logger.LogInformation("{Identity} became leader of lease {Namespace}/{Lease}", options.Identity, options.LeaseNamespace, options.LeaseName);
        IsLeader = true;
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        try
        {
            await RenewLoopAsync(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Leadership ended; the callback observed its token.
            }
            if (options.ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RenewLoopAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
        {
            try
            {
                await Task.WhenAny(work, Task.Delay(options.RetryPeriod, _time, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (work.IsCompleted || cancellationToken.IsCancellationRequested)
            {
                return;
            }
            bool renewed;
            try
            {
                renewed = await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Renewing lease {Lease} failed", options.LeaseName);
                renewed = false;
            }
            if (renewed)
            {
                lastRenew = _time.GetUtcNow();
            }
            else if (_time.GetUtcNow() - lastRenew > options.RenewDeadline)
            {
                _logger.LogWarning("{Identity} lost lease {Namespace}/{Lease}", options.Identity, options.LeaseNamespace, options.LeaseName);
                return;
            }
        }
    }

    /// <summary>One acquisition attempt; an unreachable or failing API server means "not yet", not the end of the campaign.</summary>
    private async Task<bool> TryCampaignAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Acquiring lease {Namespace}/{Lease} failed; retrying", options.LeaseNamespace, options.LeaseName);
            return false;
        }
    }

    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = await client.GetAsync<V1Lease>(options.LeaseNamespace, options.LeaseName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            try
            {
                await client.CreateAsync(new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = options.LeaseName, Namespace = options.LeaseNamespace },
                    Spec = NewSpec(now, transitions: 0, acquired: now),
                }, cancellationToken).ConfigureAwait(false);
                _observedAt = now;
                return true;
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists || e.IsConflict)
            {
                return false;
            }
        }

        var spec = lease.Spec ?? new V1LeaseSpec();
        var seen = (spec.HolderIdentity, spec.RenewTime, lease.Metadata.ResourceVersion);
        if (seen != _observed)
        {
            _observed = seen;
            _observedAt = now;
        }
        var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != options.Identity;
        var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)options.LeaseDuration.TotalSeconds);
        if (heldByOther && _observedAt + duration > now)
        {
            return false;
        }

        lease.Spec = spec.HolderIdentity == options.Identity
            ? NewSpec(now, spec.LeaseTransitions ?? 0, spec.AcquireTime ?? now)
            : NewSpec(now, (spec.LeaseTransitions ?? 0) + 1, now);
        try
        {
            var written = await client.ReplaceAsync(lease, cancellationToken).ConfigureAwait(false);
            _observed = (written.Spec?.HolderIdentity, written.Spec?.RenewTime, written.Metadata.ResourceVersion);
            _observedAt = now;
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return false;
        }
    }

    private V1LeaseSpec NewSpec(DateTimeOffset now, int transitions, DateTimeOffset acquired) => new()
    {
        HolderIdentity = options.Identity,
        LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
        AcquireTime = acquired,
        RenewTime = now,
        LeaseTransitions = transitions,
    };

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lease = await client.GetAsync<V1Lease>(options.LeaseNamespace, options.LeaseName, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != options.Identity)
            {
                return;
            }
            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            await client.ReplaceAsync(lease, timeout.Token).ConfigureAwait(false);
            _logger.LogInformation("{Identity} released lease {Lease}", options.Identity, options.LeaseName);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Releasing lease {Lease} failed; it will expire on its own", options.LeaseName);
        }
    }

    private static TimeSpan Jitter(TimeSpan period) => period * (1 + Random.Shared.NextDouble() * 0.2);
}
