#!/usr/bin/perl
# Writes the man page: the template with its @MAN_OPTIONS@ and @MAN_ENVIRONMENT@ sections made
# from `modelrelay --help`, so the page lists exactly the flags and variables the binary knows.
# Usage: manpage.pl <modelrelay binary> <template> <output> [NAME=value...] (the template's
# other @NAME@ placeholders)
use strict;
use warnings;

my ($binary, $template, $output, @values) = @ARGV;
die "usage: $0 binary template output [NAME=value...]\n" unless $output;
my $help = `"$binary" --help`;
die "$binary --help failed\n" if $? != 0;

sub roff {
    my ($text) = @_;
    $text =~ s/\\/\\e/g;
    $text =~ s/-/\\-/g;
    $text =~ s/^([.'])/\\&$1/;
    return $text;
}

# "  term   description" lines, continued by lines indented deeper: one .TP entry per term,
# "--flag <value>" set as a bold flag with an italic value.
sub table {
    my ($lines) = @_;
    my @entries;
    for my $line (@$lines) {
        if ($line =~ /^  (\S.*?\S)  +(\S.*)$/) {
            push @entries, [$1, $2];
        } elsif ($line =~ /^ +(\S.*)$/ && @entries) {
            $entries[-1][1] .= " $1";
        }
    }
    die "no entries in a --help table\n" unless @entries;
    return join '', map {
        my $term = roff($_->[0]);
        $term =~ s/<([^>]+)>/\\fI$1\\fB/g;
        ".TP\n\\fB$term\\fR\n" . roff($_->[1]) . "\n";
    } @entries;
}

my (%sections, $section);
for my $line (split /\n/, $help) {
    if ($line =~ /^Options:/) { $section = 'MAN_OPTIONS'; next }
    if ($line =~ /^Environment/) { $section = 'MAN_ENVIRONMENT'; next }
    if ($line eq '') { undef $section; next }
    push @{$sections{$section}}, $line if $section;
}
my %fill = map { $_ => table($sections{$_} // []) } qw(MAN_OPTIONS MAN_ENVIRONMENT);
for (@values) { my ($k, $v) = split /=/, $_, 2; $fill{$k} = $v }

open my $in, '<', $template or die "$template: $!\n";
my $page = do { local $/; <$in> };
$page =~ s/\@(\w+)\@/exists $fill{$1} ? $fill{$1} : die "no value for \@$1\@\n"/ge;
$page =~ s/\n+\z/\n/;
open my $out, '>', $output or die "$output: $!\n";
print $out $page;
