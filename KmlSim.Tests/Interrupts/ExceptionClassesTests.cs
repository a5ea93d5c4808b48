using KmlSim.Interrupts;

namespace KmlSim.Tests.Interrupts;

/// <summary>The exception classes of AMD64 APM vol. 2, table 8-7, and the double-fault conditions of table 8-8.</summary>
[Category("Privilege")]
public class ExceptionClassesTests
{
    [TestCase(ExceptionVector.DivideError, ExceptionClass.Contributory)]
    [TestCase(ExceptionVector.InvalidTss, ExceptionClass.Contributory)]
    [TestCase(ExceptionVector.SegmentNotPresent, ExceptionClass.Contributory)]
    [TestCase(ExceptionVector.StackFault, ExceptionClass.Contributory)]
    [TestCase(ExceptionVector.GeneralProtection, ExceptionClass.Contributory)]
    [TestCase(ExceptionVector.PageFault, ExceptionClass.PageFault)]
    [TestCase(ExceptionVector.DoubleFault, ExceptionClass.DoubleFault)]
    [TestCase(ExceptionVector.InvalidOpcode, ExceptionClass.Benign)]
    [TestCase(ExceptionVector.Breakpoint, ExceptionClass.Benign)]
    [TestCase(ExceptionVector.MachineCheck, ExceptionClass.Benign)]
    public void ClassOfVector(ExceptionVector vector, ExceptionClass expected) =>
        Assert.That(ExceptionClasses.Of(vector), Is.EqualTo(expected));

    [TestCase(ExceptionClass.Benign, ExceptionClass.Contributory, SecondExceptionAction.DeliverSecond)]
    [TestCase(ExceptionClass.Benign, ExceptionClass.PageFault, SecondExceptionAction.DeliverSecond)]
    [TestCase(ExceptionClass.Contributory, ExceptionClass.Contributory, SecondExceptionAction.DoubleFault)]
    [TestCase(ExceptionClass.Contributory, ExceptionClass.PageFault, SecondExceptionAction.DeliverSecond)]
    [TestCase(ExceptionClass.Contributory, ExceptionClass.Benign, SecondExceptionAction.DeliverSecond)]
    [TestCase(ExceptionClass.PageFault, ExceptionClass.Contributory, SecondExceptionAction.DoubleFault)]
    [TestCase(ExceptionClass.PageFault, ExceptionClass.PageFault, SecondExceptionAction.DoubleFault)]
    [TestCase(ExceptionClass.PageFault, ExceptionClass.Benign, SecondExceptionAction.DeliverSecond)]
    [TestCase(ExceptionClass.DoubleFault, ExceptionClass.Contributory, SecondExceptionAction.TripleFault)]
    [TestCase(ExceptionClass.DoubleFault, ExceptionClass.PageFault, SecondExceptionAction.TripleFault)]
    [TestCase(ExceptionClass.DoubleFault, ExceptionClass.Benign, SecondExceptionAction.DeliverSecond)]
    public void SecondExceptionDuringDelivery(ExceptionClass first, ExceptionClass second, SecondExceptionAction expected) =>
        Assert.That(ExceptionClasses.Combine(first, second), Is.EqualTo(expected));
}
