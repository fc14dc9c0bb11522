using System.Buffers.Binary;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WasmKube.Cgroups;
using WasmKube.Shim.Events;
using WasmKube.Shim.Protocol.Task;
using WasmKube.Shim.Protocol.Ttrpc;
using WasmKube.Shim.Runc;
using WasmKube.Shim.Tasks;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tests;

/// <summary>The ttrpc server and the Task service's protocol answers, over a real unix socket.</summary>
public sealed class TtrpcTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wk-ttrpc-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _release = new();
    private Socket _listener = null!;
    private Task _serving = null!;
    private EventPublisher _events = null!;

    private string SocketPath => Path.Combine(_dir, "s");

    public Task InitializeAsync()
    {
        _events = new EventPublisher(null, "default", _ => { });
        var service = new TaskService(new ShimContext
        {
            Namespace = "default",
            Events = _events,
            Runc = new RuncRunner(Path.Combine(_dir, "runc"), _ => { }),
            Cgroups = CgroupHierarchy.Discover(),
            Executors = new Dictionary<string, string>(),
            Records = new ContainerRecordStore(Path.Combine(_dir, "records")),
            Log = _ => { },
        });
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _serving = new TtrpcServer(_listener, async (request, cancellationToken) =>
        {
            // A test-only service that blocks, standing in for Wait.
            if (request.Service == "test.Blocking")
            {
                await _release.Task.WaitAsync(cancellationToken);
                return new Empty();
            }

            return await service.HandleAsync(request, cancellationToken);
        }, _ => { }).ServeAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _stop.Cancel();
        await _serving;
        _listener.Dispose();
        await _events.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<StatusCode> CodeOf(Func<TtrpcClient, Task> call)
    {
        await using var client = await TtrpcClient.ConnectAsync(SocketPath, CancellationToken.None);
        try
        {
            await call(client);
            return StatusCode.Ok;
        }
        catch (TtrpcException e)
        {
            return e.Code;
        }
    }

    [Fact]
    public async Task Errors_map_to_the_codes_containerd_understands()
    {
        var unknownTask = await CodeOf(c => c.CallAsync(TaskService.ServiceName, "State", new StateRequest { Id = "nope" }, "default", CancellationToken.None));
        var pause = await CodeOf(c => c.CallAsync(TaskService.ServiceName, "Pause", new PauseRequest { Id = "nope" }, "default", CancellationToken.None));
        var unknownService = await CodeOf(c => c.CallAsync("containerd.other.v1.Thing", "Do", new Empty(), "default", CancellationToken.None));
        var garbage = await CodeOf(c => c.CallAsync(TaskService.ServiceName, "State", ByteString.CopyFrom(0x0a, 0x05, 0x41), "default", CancellationToken.None));

        Assert.Equal(StatusCode.NotFound, unknownTask);
        Assert.Equal(StatusCode.Unimplemented, pause);
        Assert.Equal(StatusCode.Unimplemented, unknownService);
        Assert.Equal(StatusCode.InvalidArgument, garbage);
    }

    [Fact]
    public async Task Connect_answers_for_unknown_tasks_with_pid_zero()
    {
        await using var client = await TtrpcClient.ConnectAsync(SocketPath, CancellationToken.None);

        var payload = await client.CallAsync(TaskService.ServiceName, "Connect", new ConnectRequest { Id = "later" }, "default", CancellationToken.None);
        var response = ConnectResponse.Parser.ParseFrom(payload);

        Assert.Equal((uint)Environment.ProcessId, response.ShimPid);
        Assert.Equal(0u, response.TaskPid);
    }

    [Fact]
    public async Task A_blocked_request_does_not_hold_up_others_on_the_same_connection()
    {
        await using var client = await TtrpcClient.ConnectAsync(SocketPath, CancellationToken.None);

        var blocked = client.CallAsync("test.Blocking", "Wait", new Empty(), "default", CancellationToken.None);
        var answered = await client.CallAsync(TaskService.ServiceName, "Connect", new ConnectRequest(), "default", CancellationToken.None);

        Assert.False(blocked.IsCompleted);
        Assert.NotNull(answered);
        _release.SetResult();
        await blocked;
    }

    [Fact]
    public async Task An_oversized_request_gets_resource_exhausted_on_its_stream()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        const int length = (4 << 20) + 1;
        var frame = new byte[10 + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 7);
        frame[8] = 1;

        await socket.SendAsync(frame);
        var header = new byte[10];
        await ReceiveExactly(socket, header);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        await ReceiveExactly(socket, body);

        Assert.Equal(7u, BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(2, header[8]);
        Assert.Equal((int)StatusCode.ResourceExhausted, Response.Parser.ParseFrom(body).Status.Code);
    }

    private static async Task ReceiveExactly(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            Assert.True(n > 0, "connection closed early");
            read += n;
        }
    }
}
