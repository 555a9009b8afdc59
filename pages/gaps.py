import streamlit as st

st.title("gaps")
st.info("Đang xây dựng")
