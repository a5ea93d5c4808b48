using KmlSim.Observation;
using KmlSim.Timing.Accounting;

namespace KmlSim.Timing.Profiles;

/// <summary>
/// Profile data of the kernel's work: the common-path sizes of the Linux 2.6.11 system call bodies and faults
/// KmlSim's workloads lean on (a profile's <see cref="CpuProfile.KernelPaths"/>; vary one with
/// <c>paths with { Getppid = new(20, 0, 1) }</c>), read off the 2.6.11
/// source (GitHub cgm88s/linux-2.6.11.12-cn).
/// ESTIMATE: the instruction counts are counted from the C source, not from a compiled kernel (roughly one
/// x86-64 instruction per field load or store, compare-and-branch or arithmetic step, plus about 4 for the
/// prologue, epilogue and argument set-up of each out-of-line call); the locked operations and fences are
/// the ones the source names. The building blocks, with their source lines:
/// <list type="bullet">
/// <item><c>fget_light</c> (fs/file_table.c:186, single-threaded: <c>files-&gt;count == 1</c>, no lock): 14; <c>fput_light</c>: 2.</item>
/// <item><c>sys_read</c>/<c>sys_write</c> (fs/read_write.c) around <c>vfs_read</c>/<c>vfs_write</c>: 16.</item>
/// <item><c>vfs_read</c>/<c>vfs_write</c> with <c>access_ok</c>, <c>rw_verify_area</c>, the default (capability)
/// <c>security_file_permission</c>, <c>dnotify_parent</c> and the rchar/syscr accounting: 65.</item>
/// <item><c>do_sync_read</c>/<c>do_sync_write</c> (a kiocb on the stack, the indirect aio call): 20.</item>
/// <item>net/socket.c <c>sock_aio_read</c>/<c>sock_aio_write</c> (msghdr and iovec set-up): 30;
/// <c>__sock_recvmsg</c>/<c>__sock_sendmsg</c> with the default security hook: 20.</item>
/// <item>net/unix/af_unix.c <c>unix_stream_recvmsg</c> (one skb, no wait): about 180 instructions with 6 locked
/// operations (the reader semaphore down and up, the queue spin lock, the skb data and write-memory reference
/// counts, the writer wake-up's read lock); <c>unix_stream_sendmsg</c> (one skb): about 220 with 11 (peer
/// read lock and unlock, peer reference get and put, skb allocation through two slab caches, write-memory
/// charge, queue spin lock, <c>sock_def_readable</c>'s read lock and wait-queue lock).</item>
/// <item>mm/filemap.c page-cache read of one resident page (<c>generic_file_read</c>,
/// <c>__generic_file_aio_read</c>, <c>do_generic_mapping_read</c>: <c>find_get_page</c>'s radix-tree lookup under
/// the mapping's lock, the page reference get and put, <c>mark_page_accessed</c>, <c>file_read_actor</c>,
/// <c>update_atime</c>): about 220 with 3 locked operations.</item>
/// <item>fs/fcntl.c <c>sys_fcntl</c> (<c>fget</c> and <c>fput</c> with the file-table lock and the file reference
/// count) and <c>setfl</c> under the big kernel lock (F_SETFL, the call the Wisconsin server makes,
/// MySQL's and SQLite's client/server pattern): about 90 with 4 locked operations.</item>
/// <item>fs/pipe.c <c>pipe_read</c>/<c>pipe_readv</c> draining one buffer and <c>pipe_write</c>/<c>pipe_writev</c>
/// filling one (the page reused from <c>tmp_page</c>, no allocation): about 150 each with 3 locked operations
/// (the pipe semaphore down and up, the wake-up's wait-queue spin lock), including <c>update_atime</c> or
/// <c>inode_update_time</c>. The pipe's file operations are called directly (no <c>do_sync_read</c>).</item>
/// <item>drivers/char/mem.c <c>read_null</c>/<c>write_null</c>: return 0 or the count, 2 (called directly by
/// <c>vfs_read</c>/<c>vfs_write</c>, no copy).</item>
/// </list>
/// read and write follow the descriptor's target (<see cref="IoTarget"/>): an AF_UNIX stream socket (the Wisconsin
/// client/server's case), a pipe, /dev/null, or (read only) a regular file through the page cache. A write to
/// a regular file (the journalled ext3 path is not counted), /dev/zero, /dev/urandom and the host's terminal streams
/// have no estimated path.
/// </summary>
public sealed record KernelPaths
{
    /// <summary>
    /// A write fault on a copy-on-write page whose frame is shared, 2.6.11's common path (ESTIMATE, read off the
    /// source rather than counted line by line): arch/x86_64/mm/fault.c <c>do_page_fault</c> (mmap_sem read
    /// lock and unlock, <c>find_vma</c> hitting the cache) about 70, mm/memory.c <c>handle_mm_fault</c> (the
    /// table walk, <c>page_table_lock</c>) about 40, <c>do_wp_page</c>'s copying branch (page lock and unlock,
    /// reference get, <c>anon_vma_prepare</c>, the lock again, <c>page_remove_rmap</c>, <c>break_cow</c> with
    /// <c>flush_tlb_page</c>, <c>lru_cache_add_active</c>, <c>page_add_anon_rmap</c>, <c>page_cache_release</c>)
    /// about 240, <c>alloc_page_vma</c> from the per-CPU free list about 150: about 500 instructions, 11 locked
    /// operations and one INVLPG; the 4 KB <c>copy_user_highpage</c> is charged as a copy.
    /// </summary>
    public KernelPath CopyOnWriteCopy { get; init; } = new(500, 11, 0, 1);

    /// <summary>
    /// The same fault when the writer is the page's last user (<c>can_share_swap_page</c>): <c>do_wp_page</c>
    /// only makes the entry writable (<c>ptep_set_access_flags</c> and its <c>flush_tlb_page</c>): about 140
    /// instructions, 5 locked operations (mmap_sem, <c>page_table_lock</c>, the page lock and unlock), one INVLPG. ESTIMATE.
    /// </summary>
    public KernelPath CopyOnWriteReuse { get; init; } = new(140, 5, 0, 1);

    /// <summary>
    /// 2.6.11's <c>vgettimeofday</c> (arch/x86_64/kernel/vsyscall.c), run in user mode from the vsyscall page
    /// (ESTIMATE, read off the source): the NULL tests and return, <c>do_vgettimeofday</c>'s seqlock read
    /// (<c>read_seqbegin</c> and <c>read_seqretry</c>, each with <c>rmb()</c> = LFENCE), the loads of
    /// <c>__xtime</c>, <c>__jiffies</c>, <c>__wall_jiffies</c> and <c>__vxtime</c>, the nanoseconds-to-microseconds
    /// and lost-jiffies arithmetic, the TSC delta times <c>tsc_quot</c>, the divide and modulo by 1,000,000
    /// (multiplications by the reciprocal), the two stores: about 50 instructions and 2 fences. Its
    /// <c>sync_core()</c> (CPUID) and <c>rdtscll</c> (RDTSC) are charged at their own latencies.
    /// </summary>
    public KernelPath Vgettimeofday { get; init; } = new(50, 0, 2);

    /// <summary><c>vtime</c>: <c>vgettimeofday</c> into a local timeval, the NULL test and store of <c>*t</c>: about 8 instructions more (ESTIMATE).</summary>
    public KernelPath Vtime { get; init; } = new(58, 0, 2);

    /// <summary><c>venosys_0</c>: load -ENOSYS and return, 2 instructions.</summary>
    public KernelPath Venosys { get; init; } = new(2, 0, 0);

    // sys_read or sys_write, fget_light and fput_light, vfs_read or vfs_write: the layers every read and write passes.
    private const int ReadWriteLayers = 16 + 14 + 2 + 65;

    /// <summary>lseek: sys_lseek, fget/fput_light, vfs_llseek, generic_file_llseek (i_sem down and up).</summary>
    public KernelPath Lseek { get; init; } = new(14 + 14 + 2 + 8 + 20, 2, 0);

    /// <summary>pread64: sys_pread64, fget/fput_light, vfs_read, the page-cache read of one page.</summary>
    public KernelPath Pread64 { get; init; } = new(14 + 14 + 2 + 65 + 220, 3, 0);

    /// <summary>getpid: kernel/timer.c:1119, current-&gt;tgid (two loads).</summary>
    public KernelPath Getpid { get; init; } = new(2, 0, 0);

    /// <summary>fcntl (F_SETFL).</summary>
    public KernelPath Fcntl { get; init; } = new(90, 4, 0);

    /// <summary>getppid: kernel/timer.c:1140, current, group_leader, real_parent, tgid, rmb() = LFENCE, reload and compare.</summary>
    public KernelPath Getppid { get; init; } = new(9, 0, 1);

    /// <summary>read of an AF_UNIX stream socket: do_sync_read, sock_aio_read, __sock_recvmsg, unix_stream_recvmsg.</summary>
    public KernelPath SocketRead { get; init; } = new(ReadWriteLayers + 20 + 30 + 20 + 180, 6, 0);

    /// <summary>write to an AF_UNIX stream socket: the same layers down to unix_stream_sendmsg.</summary>
    public KernelPath SocketWrite { get; init; } = new(ReadWriteLayers + 20 + 30 + 20 + 220, 11, 0);

    /// <summary>read of a pipe: pipe_read(v).</summary>
    public KernelPath PipeRead { get; init; } = new(ReadWriteLayers + 150, 3, 0);

    /// <summary>write to a pipe: pipe_write(v).</summary>
    public KernelPath PipeWrite { get; init; } = new(ReadWriteLayers + 150, 3, 0);

    /// <summary>read of /dev/null: read_null.</summary>
    public KernelPath NullDeviceRead { get; init; } = new(ReadWriteLayers + 2, 0, 0);

    /// <summary>write to /dev/null (or /dev/zero): write_null.</summary>
    public KernelPath NullDeviceWrite { get; init; } = new(ReadWriteLayers + 2, 0, 0);

    /// <summary>read of a regular file: generic_file_read, the page-cache read of one page.</summary>
    public KernelPath FileRead { get; init; } = new(ReadWriteLayers + 220, 3, 0);

    /// <summary>
    /// The common path <paramref name="path"/> names (the kernel's system call table gives each call's identifier)
    /// on <paramref name="target"/> (read and write only), or null when none is estimated.
    /// </summary>
    public KernelPath? Of(KernelPathId path, IoTarget target = IoTarget.Unspecified) => (path, target) switch
    {
        (KernelPathId.Read, IoTarget.Socket) => SocketRead,
        (KernelPathId.Write, IoTarget.Socket) => SocketWrite,
        (KernelPathId.Read, IoTarget.Pipe) => PipeRead,
        (KernelPathId.Write, IoTarget.Pipe) => PipeWrite,
        (KernelPathId.Read, IoTarget.NullDevice) => NullDeviceRead,
        (KernelPathId.Write, IoTarget.NullDevice) => NullDeviceWrite,
        (KernelPathId.Read, IoTarget.RegularFile) => FileRead,
        (KernelPathId.Lseek, _) => Lseek,
        (KernelPathId.Pread64, _) => Pread64,
        (KernelPathId.Getpid, _) => Getpid,
        (KernelPathId.Fcntl, _) => Fcntl,
        (KernelPathId.Getppid, _) => Getppid,
        _ => null,
    };
}
