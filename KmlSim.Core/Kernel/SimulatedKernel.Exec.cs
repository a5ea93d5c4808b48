using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Memory;

namespace KmlSim.Kernel;

/// <summary>
/// execve: a new address space with the program from the simulated file system, a new initial stack,
/// close-on-exec descriptors closed, caught signals reset and the floating-point state initialised; the old
/// address space is freed. The kernel mode decides the ring again from where the file is (a relative path
/// resolves from the cwd; a KML process may exec an ordinary program and the reverse). Out of memory
/// before the point of no return, execve fails with ENOMEM and the caller goes on. The task leaves the call
/// through the IRETQ path with a fresh frame, because every register changes.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int MaxStrings = 4096;

    internal long Execve(KernelTask task, ulong pathAddress, ulong argvAddress, ulong envpAddress)
    {
        GuestProcess p = task.Process;
        Cpu cpu = hardware.Cpu;
        if (task != task.Group.Leader)
        {
            // Linux's de_thread gives an exec'ing thread its process's pid and ends the first thread; here only
            // the first thread may exec (the others are ended below): ENOSYS, counted like any missing call.
            return SyscallDispatcher.Unimplemented(p, "execve");
        }

        if (p.User.TryReadPath(pathAddress) is not { } path || ReadStrings(p, argvAddress) is not { } argv || ReadStrings(p, envpAddress) is not { } environment)
        {
            return -Errno.EFAULT;
        }

        PathLookup lookup = PathResolver.Resolve(p.FileSystem.Root, p.WorkingDirectory, path, true, p.ExecutablePath);
        if (lookup.Error != 0)
        {
            return lookup.Error;
        }

        if (lookup.Node is not FileNode file || (file is HostFile host && !host.TryLoad()))
        {
            return -Errno.EACCES;
        }

        var image = new byte[file.Size];
        file.Read(0, image);

        // The file's own place in the tree decides KML's ring 0, whatever path named it (relative to the
        // cwd, through "..", through links); it is also what /proc/self/exe names afterwards.
        string location = Combine(lookup.Parent!.AbsolutePath(), lookup.Name);
        bool ringZero = mode.RunsInRingZero(location);
        ElfFile elf;
        try
        {
            elf = ElfFile.Parse(image);
        }
        catch (ElfFormatException)
        {
            return -Errno.ENOEXEC; // (also a 32-bit program, which KML refuses in ring 0 and this machine everywhere)
        }

        var space = new AddressSpace(hardware.Memory);
        space.ShareKernelHalf(kernelSpace);
        var memory = new ProcessMemory(cpu, space);
        LoadedImage loaded;
        ulong rsp;
        try
        {
            loaded = ProcessLoader.MapImage(cpu, elf, memory, p.FileSystem);
            rsp = ProcessLoader.BuildStack(p, memory, loaded, argv, environment, path, ringZero ? entry.DirectEntry : 0);
        }
        catch (Exception failure) when (failure is ElfFormatException or InterpreterNotFoundException or ArgumentException or GuestMemoryExhaustedException)
        {
            memory.Release();
            space.ReleaseTables();
            return failure switch
            {
                ElfFormatException => -Errno.ENOEXEC,
                InterpreterNotFoundException => -Errno.ENOENT,
                ArgumentException => -Errno.E2BIG,
                _ => -Errno.ENOMEM,
            };
        }

        // The point of no return: the other threads end (de_thread), and the old image is gone (its frames now;
        // its page tables once CR3 has moved on).
        EndOtherThreads(task);
        AddressSpace oldSpace = task.Space;
        ReleaseAddressSpace(p);
        p.Memory = memory;
        p.ExecutablePath = location;
        p.KernelModeUser = ringZero;
        p.Files.CloseOnExec();
        for (int signal = 1; signal < p.SignalActions.Length; signal++)
        {
            if (p.SignalActions[signal].Handler > SignalAction.Ignore)
            {
                p.SignalActions[signal] = default;
            }
        }

        task.Space = space;
        task.AlternateStack = default;
        cpu.Mmu.Cr3 = space.Cr3;
        oldSpace.ReleaseTables();
        cpu.ResetFloatingPointState(); // a new program starts with the FNINIT x87 state, MXCSR 0x1F80 and zeroed registers, as after Linux's fpu__clear
        cpu.FsBase = 0;
        cpu.KernelGsBase = ringZero ? KernelLayout.PerCpu : 0; // what GS.base becomes on the way out
        cpu.SyscallCallTarget = ringZero ? entry.DirectEntry : 0;
        cpu.GsWritesRefused = ringZero;
        uint flags = ReadThreadFlags(task) & ~(1u << KernelLayout.TifKernelModeUser);
        WriteThreadFlags(task, flags | (ringZero ? 1u << KernelLayout.TifKernelModeUser : 0));

        if (RefusesEntry(p, loaded.Entry))
        {
            return 0; // (the task ends on the way out)
        }

        ulong frame = KernelLayout.KernelStackTop(task.Slot) - KernelLayout.FrameSize;
        WriteKernel64Range(frame, KernelLayout.FrameSize);
        WriteKernel64(frame + KernelLayout.Rip, loaded.Start);
        WriteKernel64(frame + KernelLayout.Rsp, rsp);
        WriteKernel64(frame + KernelLayout.Rflags, RFlags.Reserved1 | RFlags.IF);
        WriteKernel64(frame + KernelLayout.Cs, ringZero ? SystemTables.KernelCode : SystemTables.UserCode);
        WriteKernel64(frame + KernelLayout.Ss, ringZero ? SystemTables.KernelData : SystemTables.UserData);
        cpu.SetRegister(Gpr.Rsp, frame);
        cpu.Rip = entry.InterruptReturn;
        return 0;
    }

    /// <summary>
    /// Linux's load_elf_binary refuses an entry point outside the user address space (BAD_ADDR), but only
    /// after the point of no return, so the process is killed with SIGSEGV; true when it was. (Were it let
    /// run, a ring-0 process would execute kernel text.)
    /// </summary>
    private static bool RefusesEntry(GuestProcess p, ulong entryPoint)
    {
        if (entryPoint < ProcessMemory.TaskSize)
        {
            return false;
        }

        p.Kill(FatalSignal.SegmentationFault, $"SIGSEGV: the entry point 0x{entryPoint:x} lies outside the user address space (execve had passed its point of no return)");
        return true;
    }

    /// <summary>The absolute path of <paramref name="name"/> in the directory at <paramref name="directory"/>.</summary>
    private static string Combine(string directory, string name) => directory.EndsWith('/') ? directory + name : directory + "/" + name;

    /// <summary>Zeroes <paramref name="length"/> bytes of kernel memory.</summary>
    private void WriteKernel64Range(ulong address, int length) => kernelSpace.Write(address, new byte[length]);

    /// <summary>Reads a NULL-terminated array of string pointers (argv, envp); null on a fault or too many.</summary>
    private static List<string>? ReadStrings(GuestProcess p, ulong address)
    {
        var strings = new List<string>();
        if (address == 0)
        {
            return strings;
        }

        for (int i = 0; i < MaxStrings; i++)
        {
            if (!p.User.TryRead64(address + ((ulong)i * 8), out ulong pointer))
            {
                return null;
            }

            if (pointer == 0)
            {
                return strings;
            }

            if (p.User.TryReadPath(pointer) is not { } text)
            {
                return null;
            }

            strings.Add(text);
        }

        return null;
    }
}
