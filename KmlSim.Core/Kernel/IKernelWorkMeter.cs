namespace KmlSim.Kernel;

/// <summary>
/// The one hook through which the kernel reports the work its C# system call bodies stand for, so that a
/// timing model can charge it (the instructions of the entry/exit code and of the dispatch are real and
/// charged like any other code; the body itself runs on the host). The kernel calls <see cref="Charge"/>
/// once per completed system call body, with the number of bytes it copied between user and kernel memory
/// (those copies also went through the simulated MMU, so a cache model sees their addresses). The default
/// is <see cref="None"/>, which charges nothing (functional mode).
/// </summary>
public interface IKernelWorkMeter
{
    /// <summary>A meter that ignores every charge.</summary>
    public static IKernelWorkMeter None { get; } = new NoKernelWork();

    /// <summary>Charges the body of system call <paramref name="syscall"/> that copied <paramref name="bytesCopied"/> bytes.</summary>
    void Charge(int syscall, long bytesCopied);

    private sealed class NoKernelWork : IKernelWorkMeter
    {
        public void Charge(int syscall, long bytesCopied)
        {
        }
    }
}
