using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;

namespace KmlSim.Execution;

/// <summary>
/// The host-call mechanism: how real kernel code in simulated memory hands over to C# work (a system call
/// body, an interrupt handler, the scheduler) and gets control back. The kernel's code contains, at the
/// addresses it registers, the instruction VMCALL (0F 01 C1) followed by an ordinary RET; a table stub is
/// exactly <c>vmcall; ret</c>. VMCALL is Intel's VT-x hypercall and does not exist on a K8 (an Opteron 850
/// raises #UD for it), so no real guest relies on it; here it runs the registered C# handler when, and only
/// when, it executes at CPL 0 from an address the kernel registered. Anywhere else it stays #UD, so a
/// guest (even a ring-0 KML process) cannot reach host code by executing it. The instruction retires like
/// any other; what the C# work stands for is charged separately through the kernel-work meter.
///
/// Two more kernel-mode hooks live here: <see cref="SyscallCallTarget"/> (KML's patched C library) and
/// <see cref="GsWritesRefused"/> (KML's rule that a ring-0 process must not change GS).
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>The kernel that owns host-call addresses; null when no simulated kernel runs.</summary>
    internal IHostCallHandler? HostCalls { get; set; }

    /// <summary>
    /// When non-zero, a SYSCALL executed at CPL 0 is executed as <c>call SyscallCallTarget</c> instead: the
    /// model of KML's patched C library, which calls the kernel's direct entry (AT_SYSINFO) where the stock
    /// library executes SYSCALL. The kernel sets it while a kernel-mode user process runs.
    /// </summary>
    internal ulong SyscallCallTarget { get; set; }

    /// <summary>SYSCALL instructions executed as calls through <see cref="SyscallCallTarget"/>.</summary>
    public long TranslatedSyscalls { get; internal set; }

    /// <summary>
    /// When set, MOV GS and POP GS raise #GP(0), which the kernel turns into SIGSEGV: the way this machine
    /// enforces KML's rule that a kernel-mode user process must not change GS (GS.base holds the per-CPU
    /// area the kernel entry code relies on, since KML drops SWAPGS). Set while such a process runs.
    /// </summary>
    internal bool GsWritesRefused { get; set; }

    internal static void RegisterHostCalls(HandlerTable table) => table.Add(Code.Vmcall, &HostCall);

    private static void HostCall(Cpu cpu, ref DecodedInstruction d)
    {
        if (cpu.Cpl != 0 || cpu.HostCalls is not { } kernel || !kernel.Owns(d.Ip))
        {
            throw new GuestFaultException(ExceptionVector.InvalidOpcode);
        }

        kernel.Invoke(cpu, d.Ip);
        cpu.breakBlock = true; // the work may have switched tasks, address spaces or stopped the run
    }

    /// <summary>SYSCALL under KML's patched library: a near call to the direct entry (checked before SYSCALL's own rules).</summary>
    private bool TryCallSyscallEntry()
    {
        if (Cpl != 0 || SyscallCallTarget == 0)
        {
            return false;
        }

        Push64(Rip);
        Rip = SyscallCallTarget;
        TranslatedSyscalls++;
        return true;
    }
}
