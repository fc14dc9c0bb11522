using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

public sealed class SocketPollTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private (GuestHarness Guest, int Listener, IPEndPoint Endpoint) ListeningGuest()
    {
        _tree.Dir("www");
        var guest = new GuestHarness(new WasiConfiguration()
            .WithPreopenedDirectory(_tree["www"], "/www")
            .WithTcpListener(new IPEndPoint(IPAddress.Loopback, 0)));
        // Preopened directories come first (wasi-libc stops scanning preopens at the first non-directory), then listeners.
        var listener = guest.Context.OpenDescriptors.Max();
        var stat = guest.Alloc(24);
        Assert.Equal(Errno.Success, guest.Wasi.FdFdstatGet(guest.Memory, listener, stat));
        Assert.Equal((byte)FileType.SocketStream, guest.Memory[stat]);
        var endpoint = (IPEndPoint)ListenerSocket(guest, listener).LocalEndPoint!;
        return (guest, listener, endpoint);
    }

    private static Socket ListenerSocket(GuestHarness guest, int fd) =>
        ((WasmKube.Wasi.Descriptors.SocketDescriptor)guest.Context.Get(fd)!).Socket;

    [Fact]
    public void The_listener_follows_the_preopened_directories_and_is_not_a_preopen()
    {
        var (guest, listener, _) = ListeningGuest();
        using (guest)
        {
            Assert.Equal(4, listener);
            Assert.Equal(Errno.BadF, guest.Wasi.FdPrestatGet(guest.Memory, listener, guest.Alloc(8)));
        }
    }

    [Fact]
    public void Accept_receive_send_and_shutdown_talk_to_a_real_client()
    {
        var (guest, listener, endpoint) = ListeningGuest();
        using (guest)
        using (var client = new TcpClient())
        {
            client.Connect(endpoint);
            var accepted = guest.Alloc(4);
            Assert.Equal(Errno.Success, guest.Wasi.SockAccept(guest.Memory, listener, 0, accepted));
            var connection = (int)guest.U32(accepted);

            var stream = client.GetStream();
            stream.Write("ping"u8);
            var (iovs, buffers) = guest.IoVecs(16);
            var received = guest.Alloc(4);
            var flags = guest.Alloc(2);
            Assert.Equal(Errno.Success, guest.Wasi.SockRecv(guest.Memory, connection, iovs, 1, 0, received, flags));
            Assert.Equal("ping", guest.Text(buffers[0], (int)guest.U32(received)));

            var sent = guest.Alloc(4);
            Assert.Equal(Errno.Success, guest.Wasi.SockSend(guest.Memory, connection, guest.CioVecs("pong"), 1, 0, sent));
            Assert.Equal(4u, guest.U32(sent));
            Assert.Equal(Errno.Success, guest.Wasi.SockShutdown(guest.Memory, connection, 3));

            var reply = new byte[16];
            var total = 0;
            int n;
            while ((n = stream.Read(reply, total, reply.Length - total)) > 0) total += n;
            Assert.Equal("pong", Encoding.ASCII.GetString(reply, 0, total));
        }
    }

    [Fact]
    public void Non_blocking_accept_without_a_pending_connection_is_EAGAIN()
    {
        var (guest, listener, _) = ListeningGuest();
        using (guest)
        {
            Assert.Equal(Errno.Again, guest.Wasi.SockAccept(guest.Memory, listener, 4 /* nonblock */, guest.Alloc(4)));
            Assert.Equal(Errno.Inval, guest.Wasi.SockAccept(guest.Memory, listener, 1, guest.Alloc(4)));
        }
    }

    [Fact]
    public void Socket_calls_on_other_descriptors_are_refused()
    {
        var (guest, listener, _) = ListeningGuest();
        using (guest)
        {
            Assert.Equal(Errno.NotCapable, guest.Wasi.SockAccept(guest.Memory, 3, 0, guest.Alloc(4)));
            Assert.Equal(Errno.BadF, guest.Wasi.SockAccept(guest.Memory, 40, 0, guest.Alloc(4)));
            Assert.Equal(Errno.NotCapable, guest.Wasi.SockShutdown(guest.Memory, listener, 3));
            Assert.Equal(Errno.NotCapable, guest.Wasi.SockRecv(guest.Memory, listener, guest.IoVecs(4).Iovs, 1, 0, guest.Alloc(4), guest.Alloc(2)));
        }
    }

    [Fact]
    public void Shutting_down_a_descriptor_that_is_not_a_socket_is_ENOTSOCK()
    {
        var (guest, _, _) = ListeningGuest();
        using (guest)
        {
            _tree.File("www/file.txt", "x");
            var file = guest.Open(3, "file.txt", rights: Rights.FdRead).Fd;
            Assert.Equal(Errno.NotSock, guest.Wasi.SockShutdown(guest.Memory, file, 3));
            Assert.Equal(Errno.NotSock, guest.Wasi.SockShutdown(guest.Memory, 3, 3));
            Assert.Equal(Errno.NotSock, guest.Wasi.SockShutdown(guest.Memory, 1, 1));
            Assert.Equal(Errno.BadF, guest.Wasi.SockShutdown(guest.Memory, 77, 1));
        }
    }

    [Fact]
    public void Poll_with_a_relative_clock_returns_its_event()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var subscriptions = guest.Alloc(48);
        Clock(guest, subscriptions, userData: 77, nanoseconds: 2_000_000);
        var events = guest.Alloc(32);
        var count = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.PollOneoff(guest.Memory, subscriptions, events, 1, count));
        Assert.Equal(1u, guest.U32(count));
        Assert.Equal(77ul, guest.U64(events));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(guest.Memory.AsSpan(events + 8)));
        Assert.Equal((byte)EventType.Clock, guest.Memory[events + 10]);
    }

    [Fact]
    public void Poll_with_an_absolute_deadline_in_the_past_returns_at_once()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var subscriptions = guest.Alloc(96);
        Clock(guest, subscriptions, userData: 8, nanoseconds: 60_000_000_000);
        Clock(guest, subscriptions + 48, userData: 9, nanoseconds: 1_000_000_000, clock: 0, absolute: true); // realtime 1970
        var events = guest.Alloc(64);
        var count = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.PollOneoff(guest.Memory, subscriptions, events, 2, count));
        Assert.Equal(1u, guest.U32(count));
        Assert.Equal(9ul, guest.U64(events));
    }

    [Fact]
    public void Poll_reports_a_readable_socket_before_a_long_clock()
    {
        var (guest, listener, endpoint) = ListeningGuest();
        using (guest)
        using (var client = new TcpClient())
        {
            client.Connect(endpoint);
            var subscriptions = guest.Alloc(96);
            Clock(guest, subscriptions, userData: 1, nanoseconds: 60_000_000_000);
            FdRead(guest, subscriptions + 48, userData: 2, listener);
            var events = guest.Alloc(64);
            var count = guest.Alloc(4);
            Assert.Equal(Errno.Success, guest.Wasi.PollOneoff(guest.Memory, subscriptions, events, 2, count));
            Assert.Equal(1u, guest.U32(count));
            Assert.Equal(2ul, guest.U64(events));
            Assert.Equal((byte)EventType.FdRead, guest.Memory[events + 10]);
        }
    }

    [Fact]
    public void Poll_reports_bad_descriptors_per_event_and_refuses_empty_subscriptions()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var subscriptions = guest.Alloc(48);
        FdRead(guest, subscriptions, userData: 5, fd: 99);
        var events = guest.Alloc(32);
        var count = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.PollOneoff(guest.Memory, subscriptions, events, 1, count));
        Assert.Equal(1u, guest.U32(count));
        Assert.Equal((ushort)Errno.BadF, BinaryPrimitives.ReadUInt16LittleEndian(guest.Memory.AsSpan(events + 8)));
        Assert.Equal(Errno.Inval, guest.Wasi.PollOneoff(guest.Memory, subscriptions, events, 0, count));
    }

    [Fact]
    public void Cancelling_the_context_ends_a_blocking_accept()
    {
        using var cancellation = new CancellationTokenSource();
        using var guest = new GuestHarness(new WasiConfiguration()
            .WithTcpListener(new IPEndPoint(IPAddress.Loopback, 0)).WithCancellation(cancellation.Token));
        cancellation.CancelAfter(200);
        var trap = Assert.Throws<WasiTrapException>(() => guest.Wasi.SockAccept(guest.Memory, 3, 0, guest.Alloc(4)));
        Assert.Equal(WasiTrapKind.Interrupted, trap.Kind);
    }

    private static void Clock(GuestHarness guest, int at, ulong userData, ulong nanoseconds, uint clock = 1, bool absolute = false)
    {
        var s = guest.Memory.AsSpan(at, 48);
        s.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(s, userData);
        s[8] = (byte)EventType.Clock;
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], clock);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], nanoseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(s[40..], absolute ? (ushort)1 : (ushort)0);
    }

    private static void FdRead(GuestHarness guest, int at, ulong userData, int fd)
    {
        var s = guest.Memory.AsSpan(at, 48);
        s.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(s, userData);
        s[8] = (byte)EventType.FdRead;
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fd);
    }
}
