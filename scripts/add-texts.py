#!/usr/bin/env python3
"""Adds or replaces resource strings. stdin: lines 'key<TAB>vi<TAB>en'. Keeps <data> entries sorted."""
import sys, re, html
import os
base=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'AnSinh.Web', 'Resources', 'SharedResource')
entries=[l.rstrip('\n').split('\t') for l in sys.stdin if l.strip()]
for suffix, idx in (('.resx',1),('.en.resx',2)):
    p=base+suffix
    s=open(p,encoding='utf-8').read()
    datas=dict(re.findall(r'  <data name="([^"]+)" xml:space="preserve"><value>(.*?)</value></data>\n', s, re.S))
    for e in entries:
        datas[e[0]]=html.escape(e[idx], quote=False)
    start=s.index('  <data name=')
    end=s.rindex('</data>\n')+len('</data>\n')
    body=''.join(f'  <data name="{k}" xml:space="preserve"><value>{v}</value></data>\n' for k,v in sorted(datas.items(), key=lambda kv: kv[0]))
    s=s[:start]+body+s[end:]
    open(p,'w',encoding='utf-8').write(s)
print(len(entries),'entries')
