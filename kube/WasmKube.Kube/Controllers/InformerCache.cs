using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// One informer per resource type, shared by every controller in the process (controller-runtime's cache), so a
/// Deployment watched by two controllers is listed and watched once. Reads come from memory.
/// </summary>
public sealed class InformerCache(IKubernetesClient client, string? @namespace = null, ILoggerFactory? loggerFactory = null)
{
    private readonly Dictionary<Type, IInformer> _informers = [];
    private readonly List<Task> _running = [];
    private readonly Lock _lock = new();
    private CancellationToken? _started;

    public string? Namespace => @namespace;

    public IReadOnlyCollection<IInformer> Informers
    {
        get
        {
            lock (_lock)
            {
                return _informers.Values.ToList();
            }
        }
    }

    /// <summary>The informer for <typeparamref name="T"/>; created on first use and started at once if the cache runs.</summary>
    public Informer<T> GetInformer<T>()
        where T : class, IKubernetesObject<T>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }
            var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"WasmKube.Kube.Informer.{T.Definition.Kind}");
            var informer = new Informer<T>(client, T.Definition.Namespaced ? @namespace : null, logger: logger);
            _informers[typeof(T)] = informer;
            if (_started is { } token)
            {
                _running.Add(Task.Run(() => informer.RunAsync(token), CancellationToken.None));
            }
            return informer;
        }
    }

    public T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<T> => GetInformer<T>().Get(@namespace, name);

    public IReadOnlyList<T> List<T>(string? @namespace = null)
        where T : class, IKubernetesObject<T> => GetInformer<T>().List(@namespace);

    public bool HasSynced => Informers.All(informer => informer.HasSynced);

    /// <summary>Starts every informer (and any created later); the returned task ends when all have stopped.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _started = cancellationToken;
            foreach (var informer in _informers.Values)
            {
                _running.Add(Task.Run(() => informer.RunAsync(cancellationToken), CancellationToken.None));
            }
        }
        return WaitAllAsync(cancellationToken);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Informers.Select(informer => informer.WaitForSyncAsync(cancellationToken)));

    private async Task WaitAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: wait for the informers to notice below.
        }
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }
}
