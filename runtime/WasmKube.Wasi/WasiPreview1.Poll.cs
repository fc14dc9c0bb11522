using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi;

// poll_oneoff: clock subscriptions become the poll(2) timeout, fd subscriptions its fds.
public sealed unsafe partial class WasiPreview1
{
    private const int SubscriptionSize = 48;
    private const int EventSize = 32;
    private const ushort SubscriptionClockAbstime = 1;
    private const ushort EventFdReadwriteHangup = 1;
    private const int MaxSliceMilliseconds = 100;

    public Errno PollOneoff(Span<byte> memory, int subscriptionsPointer, int eventsPointer, int count, int eventCountPointer)
    {
        if (count == 0) return Errno.Inval;
        var guest = new GuestMemory(memory);
        // Checked whole before anything is read: a count too large for memory traps, the size cannot wrap.
        var subscriptions = guest.Array(subscriptionsPointer, count, SubscriptionSize);
        var eventArray = guest.Array(eventsPointer, count, EventSize);
        guest.Slice(eventCountPointer, 4);

        var events = new List<PollEvent>();
        var clocks = new List<(ulong UserData, long Deadline)>();
        var waits = new List<(ulong UserData, EventType Type, int Handle, Descriptor Descriptor)>();
        var now = MonotonicNow();

        // subscription: userdata u64 @0, tag u8 @8; clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40;
        // fd_read / fd_write: fd u32 @16.
        for (var i = 0; i < subscriptions.Length / SubscriptionSize; i++)
        {
            var s = subscriptions.Slice(i * SubscriptionSize, SubscriptionSize);
            var userData = BitConverter.ToUInt64(s);
            var type = (EventType)s[8];
            switch (type)
            {
                case EventType.Clock:
                {
                    var clock = BitConverter.ToUInt32(s[16..]);
                    var timeout = BitConverter.ToUInt64(s[24..]);
                    var absolute = (BitConverter.ToUInt16(s[40..]) & SubscriptionClockAbstime) != 0;
                    if (clock > (uint)ClockId.ThreadCputime)
                    {
                        events.Add(new PollEvent(userData, Errno.Inval, type, 0, 0));
                        break;
                    }

                    var relative = absolute ? (long)timeout - CurrentTime(clock) : (long)Math.Min(timeout, long.MaxValue / 2);
                    clocks.Add((userData, now + Math.Max(0, relative)));
                    break;
                }

                case EventType.FdRead or EventType.FdWrite:
                {
                    var fd = (int)BitConverter.ToUInt32(s[16..]);
                    var error = Lookup(fd, Rights.PollFdReadwrite, out var descriptor);
                    if (error != Errno.Success)
                        events.Add(new PollEvent(userData, error, type, 0, 0));
                    else if (descriptor.PollHandle < 0 || descriptor.Type is FileType.RegularFile or FileType.Directory)
                        events.Add(new PollEvent(userData, Errno.Success, type, 0, 0)); // regular files are always ready, as in poll(2)
                    else
                        waits.Add((userData, type, descriptor.PollHandle, descriptor));
                    break;
                }

                default:
                    events.Add(new PollEvent(userData, Errno.Inval, type, 0, 0));
                    break;
            }
        }

        var fds = new HostCalls.PollFd[waits.Count];
        while (true)
        {
            var timeout = events.Count > 0 ? 0 : TimeoutMilliseconds(clocks, MonotonicNow());
            if (timeout < 0 || timeout > MaxSliceMilliseconds) timeout = MaxSliceMilliseconds; // stay cancellable
            for (var i = 0; i < waits.Count; i++)
                fds[i] = new HostCalls.PollFd { Fd = waits[i].Handle, Events = waits[i].Type == EventType.FdRead ? HostCalls.PollIn : HostCalls.PollOut };
            int ready;
            fixed (HostCalls.PollFd* f = fds)
            {
                ready = waits.Count == 0 ? SleepFor(timeout) : HostCalls.Poll(f, (nuint)fds.Length, timeout);
            }

            if (ready < 0 && HostCalls.LastError != HostCalls.EINTR) return ErrnoMap.Last();
            for (var i = 0; ready > 0 && i < waits.Count; i++)
            {
                var revents = fds[i].Revents;
                if (revents == 0) continue;
                var (userData, type, _, descriptor) = waits[i];
                var error = (revents & HostCalls.PollNval) != 0 ? Errno.BadF : Errno.Success;
                var hangup = (revents & (HostCalls.PollHup | HostCalls.PollErr)) != 0 ? EventFdReadwriteHangup : (ushort)0;
                var available = descriptor is SocketDescriptor { IsListener: false } socket && type == EventType.FdRead ? (ulong)Math.Max(0, socket.Socket.Available) : 0;
                events.Add(new PollEvent(userData, error, type, available, hangup));
            }

            var current = MonotonicNow();
            foreach (var (userData, deadline) in clocks)
            {
                if (deadline <= current) events.Add(new PollEvent(userData, Errno.Success, EventType.Clock, 0, 0));
            }

            if (events.Count > 0) break;
            Readiness.ThrowIfCancelled(_context.Cancellation);
        }

        // event: userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite nbytes u64 @16, flags u16 @24.
        var written = Math.Min(events.Count, eventArray.Length / EventSize);
        for (var i = 0; i < written; i++)
        {
            var e = events[i];
            var target = eventArray.Slice(i * EventSize, EventSize);
            target.Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target, e.UserData);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(target[8..], (ushort)e.Error);
            target[10] = (byte)e.Type;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(target[16..], e.Bytes);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(target[24..], e.Flags);
        }

        guest.WriteU32(eventCountPointer, (uint)written);
        return Errno.Success;
    }

    private long CurrentTime(uint clock) =>
        clock == (uint)ClockId.Monotonic ? MonotonicNow() : ClockNanoseconds((int)clock);

    /// <summary>Milliseconds until the earliest clock deadline (rounded up), or -1 without clocks.</summary>
    private static int TimeoutMilliseconds(List<(ulong UserData, long Deadline)> clocks, long now)
    {
        if (clocks.Count == 0) return -1;
        var earliest = clocks.Min(c => c.Deadline);
        var nanoseconds = Math.Max(0, earliest - now);
        return (int)Math.Min(int.MaxValue, (nanoseconds + 999_999) / 1_000_000);
    }

    private static int SleepFor(int milliseconds)
    {
        if (milliseconds > 0) Thread.Sleep(milliseconds);
        return 0;
    }

    private readonly record struct PollEvent(ulong UserData, Errno Error, EventType Type, ulong Bytes, ushort Flags);
}
