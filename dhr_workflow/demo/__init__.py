"""The demo partnership: users, cases at every stage and a Delivery Plan, for `dhr demo` and `make demo`.

Public, by module:
- seed: DemoResult, email_for, seed
- sign_ins: reset_demo_passwords
"""
