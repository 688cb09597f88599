<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Attention</name>
    <message numerus="yes">
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>%n customer found</numerusform>
            <numerusform>%n customers found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message numerus="yes">
        <source>%n thing(s) cannot go to QuickBooks yet. Select a red line to see what to do.</source>
        <translation>
            <numerusform>%n thing cannot go to QuickBooks yet. Select a red line to see what to do.</numerusform>
            <numerusform>%n things cannot go to QuickBooks yet. Select a red line to see what to do.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Needs attention (%n)</source>
        <translation>
            <numerusform>Needs attention (%n)</numerusform>
            <numerusform>Needs attention (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message numerus="yes">
        <source>%n record(s) could not be synced</source>
        <translation>
            <numerusform>%n record could not be synced</numerusform>
            <numerusform>%n records could not be synced</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Profiles</name>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfilesTray</name>
    <message numerus="yes">
        <source>All %n business(es) up to date</source>
        <translation>
            <numerusform>The business is up to date</numerusform>
            <numerusform>All %n businesses up to date</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message numerus="yes">
        <source>in %n second(s)</source>
        <translation>
            <numerusform>in %n second</numerusform>
            <numerusform>in %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>in %n minute</numerusform>
            <numerusform>in %n minutes</numerusform>
        </translation>
    </message>
</context>
</TS>
