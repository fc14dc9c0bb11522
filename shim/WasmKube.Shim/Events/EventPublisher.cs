using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WasmKube.Shim.Protocol.Events;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Events;

/// <summary>
/// Forwards task events to containerd in order, over ttrpc to TTRPC_ADDRESS
/// (containerd.services.events.ttrpc.v1.Events/Forward, as 1.6 shims do). Reconnects after a containerd restart;
/// an event that cannot be delivered after retries is dropped and logged rather than blocking the shim.
/// </summary>
public sealed class EventPublisher(string? ttrpcAddress, string ns, Action<string> log) : IAsyncDisposable
{
    private const string Service = "containerd.services.events.ttrpc.v1.Events";
    private readonly Channel<(string Topic, Any Event)> _queue = Channel.CreateUnbounded<(string, Any)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task? _pump;
    private TtrpcClient? _client;

    public void Start() => _pump = Task.Run(PumpAsync);

    /// <summary>Queues an event; <paramref name="typeName"/> is the bare type URL containerd's typeurl registry knows.</summary>
    public void Publish(string topic, string typeName, IMessage message) =>
        _queue.Writer.TryWrite((topic, new Any { TypeUrl = typeName, Value = message.ToByteString() }));

    private async Task PumpAsync()
    {
        await foreach (var (topic, payload) in _queue.Reader.ReadAllAsync())
        {
            var request = new ForwardRequest
            {
                Envelope = new Envelope { Timestamp = Timestamp.FromDateTime(DateTime.UtcNow), Namespace = ns, Topic = topic, Event = payload },
            };
            await DeliverAsync(topic, request);
        }
    }

    private async Task DeliverAsync(string topic, ForwardRequest request)
    {
        if (string.IsNullOrEmpty(ttrpcAddress))
        {
            return;
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                if (_client is null || _client.IsClosed)
                {
                    if (_client is not null)
                    {
                        await _client.DisposeAsync();
                    }

                    _client = await TtrpcClient.ConnectAsync(ttrpcAddress, _stop.Token);
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _client.CallAsync(Service, "Forward", request, ns, timeout.Token);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                if (attempt % 10 == 0)
                {
                    log($"publishing {topic} failed, retrying: {e.Message}");
                }

                if (_client is not null)
                {
                    await _client.DisposeAsync();
                    _client = null;
                }

                try
                {
                    await Task.Delay(200, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        log($"dropped event {topic}: containerd did not accept it");
    }

    /// <summary>Delivers what is queued (bounded wait), then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_pump is not null)
        {
            await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        _stop.Cancel();
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }
}
