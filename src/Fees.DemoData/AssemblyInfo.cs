using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Fees.DemoData.Tests")]
